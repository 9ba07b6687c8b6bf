package dev.manageprocs.control;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control server's answer to "ping", for anyone: the manager's pid, its version and how many live
 * re-execs that pid has been through. A second manager names the first by it; {@code daemon-reexec}
 * tells by the generation that the new code has taken over (the pid stays the same).
 */
public record Ping(long pid, String version, int generation) {
    private static final Pattern TEXT = Pattern.compile("manage-procs manager pid (\\d+)(?: version (\\S+) generation (\\d+))?\\s*");

    public String text() {
        return "manage-procs manager pid " + pid + " version " + version + " generation " + generation + "\n";
    }

    /** Also reads the older reply, which had the pid only (version "unknown", generation 0). */
    public static Optional<Ping> parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Ping(Long.parseLong(m.group(1)), m.group(2) == null ? "unknown" : m.group(2),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
    }
}
