package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The everyday commands (status, list, show, start, stop, restart, attach) and the daemon without
 * picocli: building its model of every command costs about 150 ms per run, most of a {@code status}
 * call and half of an {@code attach}, and its classes would stay in the manager's metaspace for as
 * long as the manager runs. Only plain spellings are taken here; anything else (other options, help, usage
 * errors) goes through picocli, which builds the same Request for the same words (FastPathTest holds
 * the two to that).
 */
final class FastPath {
    /** A command line this path handles: the mode flags and the request. */
    record Call(boolean user, boolean system, Request request) {
        /** attach opens a console stream; the other verbs are one request and one response. */
        boolean attach() {
            return request.verb().equals("attach");
        }
    }

    private static final Set<String> PATTERN_VERBS = Set.of("start", "stop", "restart");

    private FastPath() {
    }

    /** {@code [--user|--system] daemon [--unit-dir DIR]...}: what the service units and the tests run. */
    static Optional<DaemonLaunch> daemon(String[] args) {
        int i = args.length > 0 && (args[0].equals("--user") || args[0].equals("--system")) ? 1 : 0;
        if (i >= args.length || !args[i].equals("daemon")) {
            return Optional.empty();
        }
        List<Path> unitDirs = new ArrayList<>();
        for (i++; i < args.length; i += 2) {
            if (!args[i].equals("--unit-dir") || i + 1 >= args.length || args[i + 1].startsWith("-")) {
                return Optional.empty();
            }
            unitDirs.add(Path.of(args[i + 1]));
        }
        boolean user = args[0].equals("--user");
        boolean system = args[0].equals("--system");
        return Optional.of(new DaemonLaunch(user, system, null, false, List.copyOf(unitDirs)));
    }

    static Optional<Call> parse(String[] args) {
        boolean user = false;
        boolean system = false;
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            switch (args[i]) {
                case "--user" -> user = true;
                case "--system" -> system = true;
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (i >= args.length || user && system) {
            return Optional.empty();
        }
        String verb = args[i];
        List<String> words = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (i++; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) {
                words.add(a);
            } else if (a.equals("--json") && (verb.equals("status") || verb.equals("list"))
                    || a.equals("--all") && (verb.equals("list") || PATTERN_VERBS.contains(verb))
                    || a.equals("--read-only") && verb.equals("attach")) {
                options.put(a.substring(2), "true");
            } else {
                return Optional.empty();
            }
        }
        boolean ok = switch (verb) {
            case "status" -> true;
            case "list" -> words.isEmpty();
            case "show" -> words.size() == 1 && options.isEmpty();
            case "attach" -> words.size() == 1;
            case "start", "stop", "restart" -> options.containsKey("all") == words.isEmpty();
            default -> false;
        };
        return ok ? Optional.of(new Call(user, system, new Request(verb, words, options, Map.of()))) : Optional.empty();
    }
}
