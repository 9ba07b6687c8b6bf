package dev.manageprocs.supervisor;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.unit.KeyBindings;
import dev.manageprocs.unit.KeySpec;
import dev.manageprocs.unit.RestartMode;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The wording of every "@@@" line the server writes into a console (and, for the unit's own events,
 * into its log). Where procServ 2.7.0 has a line for the same fact (verified by running it), the same
 * words are used, because tools and operators grep for them: "@@@ Welcome to procServ (…)", "Use ^X
 * to kill the child, auto restart is ON, use ^T to toggle auto restart", "Child "NAME" PID: N",
 * "Child "NAME" is SHUT DOWN", "N user(s) and M logger(s) connected (plus you)", "Restarting child
 * "NAME"", "The PID of new child "NAME" is: N", "Received a sigChild for process N", "Toggled auto
 * restart to ON|OFF".
 */
public final class Announcements {
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);
    public static final String SEPARATOR = "@@@ @@@ @@@ @@@ @@@";
    static final String RESTARTING = "a new one will be restarted shortly";
    static final String NO_RESTART = "auto restart is disabled";
    static final String STOPPED = "stopped by request";

    private Announcements() {
    }

    // ---- the unit's events (console and log) ----

    static List<String> started(String name, String argv0, int pid) {
        return List.of(
                "@@@ Restarting child \"" + name + "\"",
                "@@@    (as " + argv0 + ")",
                "@@@ The PID of new child \"" + name + "\" is: " + pid,
                SEPARATOR);
    }

    static String cannotStart(String name, String why) {
        return "@@@ Cannot start child \"" + name + "\": " + why;
    }

    static String stopping(String name, String signal, String who) {
        return "@@@ Stopping child \"" + name + "\": " + signal + " sent (stop requested by " + who + ")";
    }

    static String shutDown(String name) {
        return "@@@ Child \"" + name + "\" is SHUT DOWN (stopped by request)";
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
            lines.add(whenDown(keys, false).orElse("@@@ the child is down"));
        }
        return lines;
    }

    static String toggled(RestartMode mode) {
        return "@@@ Toggled auto restart to " + autoRestart(mode);
    }

    // ---- a console client's own lines ----

    /** The welcome lines for a control client. */
    public static List<String> controlBanner(UnitStatus s, KeyBindings keys, int otherUsers, int loggers) {
        List<String> lines = new ArrayList<>();
        lines.add("@@@ Welcome to procServ (manage-procs console of unit \"" + s.name() + "\")");
        List<String> parts = new ArrayList<>();
        if (keys.kill().enabled()) {
            parts.add("Use " + keys.kill() + " to kill the child");
        }
        parts.add("auto restart is " + autoRestart(s.restartMode()));
        if (keys.toggle().enabled()) {
            parts.add("use " + keys.toggle() + " to toggle auto restart");
        }
        lines.add(sentence(parts));
        if (keys.logout().enabled()) {
            lines.add("@@@ Use " + keys.logout() + " to logout from this console");
        }
        lines.addAll(childLines(s));
        lines.add("@@@ " + otherUsers + " user(s) and " + loggers + " logger(s) connected (plus you)");
        if (!s.state().childAlive()) {
            whenDown(keys, true).ifPresent(lines::add);
        }
        return lines;
    }

    /** The welcome lines for a read-only (log_listen) client: facts only, no keys. */
    public static List<String> readOnlyBanner(UnitStatus s) {
        List<String> lines = new ArrayList<>();
        lines.add("@@@ Read-only console of unit \"" + s.name() + "\" (input is ignored)");
        lines.addAll(childLines(s));
        return lines;
    }

    public static String historyStart(int bytes) {
        return "@@@ -------- last " + bytes + " bytes of console output --------";
    }

    public static String historyEnd() {
        return "@@@ -------- end of replay, live output follows --------";
    }

    public static String dropped(long bytes) {
        return "@@@ " + bytes + " bytes of output were dropped because this client was not reading";
    }

    /** A TCP console connection turned away: {@code reason} says who may connect and how to get access. */
    /** To every client and log after a live re-exec; the gap is how long no console byte moved. */
    public static String reexecuted(String fromVersion, String toVersion, long gapMillis) {
        return "@@@ manager re-executed (version " + fromVersion + " \u2192 " + toVersion + ") in " + gapMillis + " ms";
    }

    public static String refused(String reason) {
        return "@@@ " + reason;
    }

    /** The first line {@code manage-procs attach} prints, with how to get out again. */
    public static String attached(String name, boolean readOnly, KeySpec logout) {
        String how = logout.enabled() ? logout + " detaches"
                : "no logout key is set (keys.logout), so end this client to detach";
        return "@@@ attached to " + name + (readOnly ? " (read-only)" : "") + " — " + how;
    }

    /** The last line of an attach that ended by the logout key or because the console went away. */
    public static String detached(String name) {
        return "@@@ detached from " + name;
    }

    /** procServ's "auto restart is ON/OFF", with the mode when it is not simply "always". */
    static String autoRestart(RestartMode mode) {
        return switch (mode) {
            case ALWAYS -> "ON";
            case ON_FAILURE -> "ON (on-failure)";
            case NEVER -> "OFF";
        };
    }

    private static List<String> childLines(UnitStatus s) {
        List<String> lines = new ArrayList<>();
        String child = "@@@ Child \"" + s.name() + "\"";
        if (s.pid().isPresent()) {
            lines.add(child + " PID: " + s.pid().getAsInt());
        } else {
            lines.add(child + " is SHUT DOWN");
        }
        StringBuilder state = new StringBuilder(child + " state: " + s.state()
                + ", restart mode: " + s.restartMode().key() + ", restarts: " + s.restarts());
        s.lastExit().ifPresent(e -> state.append(", last exit: ").append(e.brief()));
        lines.add(state.toString());
        s.problem().ifPresent(p -> lines.add("@@@ Problem: " + p));
        return lines;
    }

    /** procServ's "^R or ^X restarts the child, ^Q quits the server, ^D closes this connection", for our keys. */
    private static Optional<String> whenDown(KeyBindings keys, boolean withLogout) {
        List<String> parts = new ArrayList<>();
        add(parts, keys.restart(), "restarts the child");
        add(parts, keys.quit(), "stops the unit");
        if (withLogout) {
            add(parts, keys.logout(), "closes this connection");
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of("@@@ " + String.join(", ", parts));
    }

    private static void add(List<String> parts, KeySpec key, String what) {
        if (key.enabled()) {
            parts.add(key + " " + what);
        }
    }

    private static String sentence(List<String> parts) {
        String s = String.join(", ", parts);
        return "@@@ " + Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
