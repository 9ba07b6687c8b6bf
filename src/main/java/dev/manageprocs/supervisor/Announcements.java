package dev.manageprocs.supervisor;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.unit.KeyBindings;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The "@@@" lines a unit's console and log show around child starts and exits. The wording follows
 * procServ 2.7.0 (observed), so people and scripts that grep procServ logs keep working.
 */
final class Announcements {
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);
    static final String SEPARATOR = "@@@ @@@ @@@ @@@ @@@";
    static final String RESTARTING = "a new one will be restarted shortly";
    static final String NO_RESTART = "auto restart is disabled";
    static final String STOPPED = "stopped by request";

    static String stopping(String name, String signal, String who) {
        return "@@@ Stopping child \"" + name + "\": " + signal + " sent (stop requested by " + who + ")";
    }

    static String shutDown(String name) {
        return "@@@ Child \"" + name + "\" is SHUT DOWN (stopped by request)";
    }

    private Announcements() {
    }

    static List<String> started(String name, String argv0, int pid) {
        return List.of(
                "@@@ Restarting child \"" + name + "\"",
                "@@@    (as " + argv0 + ")",
                "@@@ The PID of new child \"" + name + "\" is: " + pid,
                SEPARATOR);
    }

    /** {@code outcome} completes "Child process is shutting down, ..." (procServ's line). */
    static List<String> exited(int pid, ExitStatus exit, ZonedDateTime now, String outcome, KeyBindings keys) {
        List<String> lines = new ArrayList<>();
        lines.add(SEPARATOR);
        lines.add("@@@ Received a sigChild for process " + pid + ". " + exit.signal()
                .map(s -> "The process was killed by signal " + s.number())
                .orElse("Normal exit status = " + exit.code()));
        lines.add("@@@ Current time: " + CTIME.format(now));
        lines.add("@@@ Child process is shutting down, " + outcome);
        if (!outcome.equals(RESTARTING)) {
            lines.add(downKeys(keys));
        }
        return lines;
    }

    static String downKeys(KeyBindings keys) {
        List<String> parts = new ArrayList<>();
        if (keys.restart().enabled()) {
            parts.add(keys.restart() + " restarts the child");
        }
        if (keys.quit().enabled()) {
            parts.add(keys.quit() + " stops the unit");
        }
        return parts.isEmpty() ? "@@@ the child is down" : "@@@ " + String.join(", ", parts);
    }
}
