package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The everyday commands (status, list, show, start, stop, restart, attach) and the daemon without
 * picocli: building its model of every command costs about 150 ms per run, most of a {@code status}
 * call and half of an {@code attach}, and its classes would stay in the manager's metaspace for as
 * long as the manager runs. Only plain spellings are taken here; anything else (other options, help, usage
 * errors) goes through picocli, which builds the same Request for the same words (FastPathTest holds
 * the two to that). The words are the Verb table's: a command is named by its verb and a flag by its
 * option (VerbTableTest holds the picocli commands to that).
 */
final class FastPath {
    /** A command line this path handles: the mode flags and the request. */
    record Call(boolean user, boolean system, Request request) {
        /** attach opens a console stream; the other verbs are one request and one response. */
        boolean attach() {
            return request.verb().equals(Verb.ATTACH.wire());
        }
    }

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
        Optional<Verb> named = Verb.of(args[i]);
        if (named.isEmpty()) {
            return Optional.empty();
        }
        Verb verb = named.get();
        List<String> words = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (i++; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) {
                words.add(a);
                continue;
            }
            VerbOption flag = a.startsWith("--") ? verb.option(a.substring(2)) : null;
            if (flag == null || flag.takesValue()) {
                return Optional.empty();
            }
            options.put(flag.wire(), "true");
        }
        boolean ok = switch (verb) {
            case STATUS -> true;
            case LIST -> words.isEmpty();
            case SHOW, ATTACH -> words.size() == 1;
            case START, STOP, RESTART -> options.containsKey(VerbOption.ALL.wire()) == words.isEmpty();
            default -> false;
        };
        return ok ? Optional.of(new Call(user, system, new Request(verb.wire(), words, options, Map.of())))
                : Optional.empty();
    }
}
