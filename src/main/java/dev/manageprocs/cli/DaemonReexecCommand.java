package dev.manageprocs.cli;

import dev.manageprocs.control.CallFailed;
import dev.manageprocs.control.ControlClient;
import dev.manageprocs.control.Ping;
import dev.manageprocs.control.ReexecMarker;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.Verb;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;

/**
 * {@code manage-procs daemon-reexec}: asks the manager to re-execute itself with the installed code, then
 * watches its ping until the same pid answers with a higher re-exec generation (the new code runs), or
 * with the same one once the re-exec is over (it did not take place), or not at all (the manager is gone).
 */
@Command(name = "daemon-reexec", mixinStandardHelpOptions = true,
        description = {"Replace the running manager's code with the installed one without stopping any unit: "
                + "the manager first checks that the installed code can take over its state, then executes it in "
                + "the same process, which keeps its pid and adopts every child, console listener and console "
                + "client. Package upgrades run this (upgrade = \"reexec\" in manager.toml).",
            "Waits until the manager answers as the new code (at most 60 s) and prints its version and how long "
                + "the re-exec took. Meanwhile attach and logs -f reconnect by themselves and other commands wait "
                + "for the control socket."},
        footer = {"", "Exit status: 0 the manager runs the installed code; 1 the check refused it (nothing changed), "
                + "the re-exec did not take place (the manager runs on with its old code), the manager did not "
                + "come back within 60 s, or it is older than daemon-reexec; each is said in one sentence, and the "
                + "manager's log says why."})
final class DaemonReexecCommand extends ClientCommand {
    /** How long the manager has to answer as the new code: the gap is a second or two. */
    static final Duration COMEBACK = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(25);

    DaemonReexecCommand() {
        super(Verb.DAEMON_REEXEC);
    }

    @Override
    Request request() {
        return new Request(verb(), List.of(), Map.of(), Map.of());
    }

    @Override
    public Integer call() {
        ControlClient client;
        try {
            client = client();
        } catch (CallFailed e) {
            return print(e.response());
        }
        Response pong = client.send(Request.of(Verb.PING.wire()));
        if (pong.exitCode() != Response.OK) {
            return print(pong);
        }
        Optional<Ping> before = Ping.parse(pong.out());
        if (before.isEmpty()) {
            return print(Response.error(Response.FAILED, "what answers on " + client.socket()
                    + " is not a manage-procs manager (its ping reply was '" + pong.out().strip()
                    + "'); check control_socket in manager.toml"));
        }
        long started = System.nanoTime();
        Response reply = client.send(request());
        if (reply.exitCode() == Response.USAGE && before.get().version().equals("unknown")) {
            // a manager from before daemon-reexec: its ping names no version (Ping.parse), and it knows no such verb
            return print(Response.error(Response.FAILED, "the manager (pid " + before.get().pid() + ") is older than "
                    + "daemon-reexec, so it cannot hand its units to new code; restart it once when its units may "
                    + "restart (systemctl restart manage-procs), and later upgrades re-execute it"));
        }
        if (reply.exitCode() != Response.OK) {
            return print(reply);
        }
        print(reply);
        return print(awaitNewCode(client, before.get(), started));
    }

    /** Pings until the outcome is known or {@link #COMEBACK} has passed; the answer to print. */
    private static Response awaitNewCode(ControlClient client, Ping before, long started) {
        String who = "the manager (pid " + before.pid() + ")";
        boolean underWaySeen = false;
        while (System.nanoTime() - started < COMEBACK.toNanos()) {
            underWaySeen |= underWay(client);
            Optional<Ping> now = client.ping(); // waits through the gap by itself while the marker is there
            underWaySeen |= client.waitedForReexec();
            if (now.isEmpty()) {
                if (!underWay(client)) {
                    return Response.error(Response.FAILED, who + " exited during its re-exec, and its units with it; "
                            + "its log says why; " + client.startHint());
                }
            } else if (now.get().pid() != before.pid()) {
                return Response.error(Response.FAILED, who + " is gone and pid " + now.get().pid() + " (version "
                        + now.get().version() + ") answers now, so the re-exec failed and a new manager started "
                        + "the units again; the log of the old one says why");
            } else if (now.get().generation() > before.generation()) {
                return Response.ok("manager pid " + before.pid() + " runs version " + now.get().version()
                        + " now; the re-exec took " + seconds(System.nanoTime() - started) + "\n");
            } else if (underWaySeen && !underWay(client)) {
                return Response.error(Response.FAILED, "the re-exec did not take place; " + who + " runs on with "
                        + "version " + now.get().version() + "; its log says why");
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        return Response.error(Response.FAILED, who + " did not answer as the new code within "
                + COMEBACK.toSeconds() + " s; its log says why");
    }

    private static boolean underWay(ControlClient client) {
        return ReexecMarker.underWay(client.socket()).isPresent();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
