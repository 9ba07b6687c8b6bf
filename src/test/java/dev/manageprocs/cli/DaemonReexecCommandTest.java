package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.access.Authorizer;
import dev.manageprocs.control.ControlServer;
import dev.manageprocs.control.Ping;
import dev.manageprocs.control.ReexecMarker;
import dev.manageprocs.control.Response;
import dev.manageprocs.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code daemon-reexec} against a stand-in manager that plays each outcome of a re-exec on a real control
 * socket: it answers the verb, marks the re-exec under way and stops accepting, and, once the command waits
 * for it, comes back as the new code, as the old code, as another process, or not at all.
 */
class DaemonReexecCommandTest {
    private static final long PID = ProcessHandle.current().pid(); // the marker must name a live process

    @TempDir
    Path dir;

    private final List<ControlServer> servers = new ArrayList<>();

    @AfterEach
    void close() {
        servers.forEach(ControlServer::close);
    }

    private Path socket() {
        return dir.resolve("control.sock");
    }

    private ControlServer server(Ping ping, Response reexecReply) throws IOException {
        ControlServer[] self = new ControlServer[1];
        ControlServer s = new ControlServer(socket(), 0600, Optional.empty(), new Authorizer(0, "manage-procs"),
                (request, peer) -> {
                    if (reexecReply.exitCode() == Response.OK) {
                        try {
                            ReexecMarker.write(socket(), PID);
                            self[0].quiesce(Duration.ZERO); // this answer still goes out; new connections are refused
                        } catch (IOException | InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return reexecReply;
                }, ping);
        self[0] = s;
        servers.add(s);
        s.start();
        return s;
    }

    private record Run(int exit, String out, String err) {
    }

    /** {@code manage-procs --config M daemon-reexec} on a thread of its own, and that thread. */
    private record Pending(Thread thread, CompletableFuture<Run> run) {
        /** Parked between two pings or two connects: the command waits for the manager to come back. */
        boolean waiting() {
            return thread.getState() == Thread.State.TIMED_WAITING;
        }
    }

    private Pending reexec() throws IOException {
        Path config = Files.writeString(dir.resolve("manager.toml"), "control_socket = \"" + socket() + "\"\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        CompletableFuture<Run> run = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            int exit;
            try {
                exit = Main.run("--config", config.toString(), "daemon-reexec");
            } finally {
                // before the outcome is known: the next test swaps the streams as soon as this one has it
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
            run.complete(new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)));
        });
        return new Pending(t, run);
    }

    private static final Response REPLY = Response.ok("re-executing manager pid " + PID + ": version 1.0 \u2192 1.1\n");

    /** Starts the command against the old code and returns once it waits in the gap. */
    private Pending reexecAndAwaitTheGap() throws IOException {
        server(new Ping(PID, "1.0", 3), REPLY);
        Pending p = reexec();
        Eventually.until(() -> p.waiting() || p.run().isDone(), () -> "daemon-reexec to wait for the manager");
        return p;
    }

    private Run outcome(Pending p) throws Exception {
        return p.run().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theSamePidWithAHigherGenerationIsTheNewCode() throws Exception {
        Pending p = reexecAndAwaitTheGap();
        server(new Ping(PID, "1.1", 4), REPLY); // the new code binds again, then removes the marker
        ReexecMarker.remove(socket());
        Run r = outcome(p);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().matches("re-executing manager pid " + PID + ": version 1.0 \u2192 1.1\n"
                + "manager pid " + PID + " runs version 1.1 now; the re-exec took \\d+\\.\\d s\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void theSameGenerationOnceTheMarkerIsGoneMeansTheExecFailed() throws Exception {
        Pending p = reexecAndAwaitTheGap();
        servers.get(0).start(); // the old code carries on: it accepts again, then removes the marker
        ReexecMarker.remove(socket());
        Run r = outcome(p);
        assertEquals(1, r.exit(), r.toString());
        assertEquals("manage-procs: the re-exec did not take place; the manager (pid " + PID + ") runs on with version "
                + "1.0; its log says why\n", r.err());
    }

    @Test
    void aManagerThatNeverComesBackIsGone() throws Exception {
        Pending p = reexecAndAwaitTheGap();
        ReexecMarker.remove(socket());
        Run r = outcome(p);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().startsWith("manage-procs: the manager (pid " + PID + ") exited during its re-exec, and "
                + "its units with it; its log says why; start one with "), r.err());
    }

    @Test
    void anotherPidAnsweringMeansTheManagerWasStartedAnew() throws Exception {
        Pending p = reexecAndAwaitTheGap();
        server(new Ping(PID + 1, "1.1", 0), REPLY);
        ReexecMarker.remove(socket());
        Run r = outcome(p);
        assertEquals(1, r.exit(), r.toString());
        assertEquals("manage-procs: the manager (pid " + PID + ") is gone and pid " + (PID + 1) + " (version 1.1) "
                + "answers now, so the re-exec failed and a new manager started the units again; the log of the old "
                + "one says why\n", r.err());
    }

    @Test
    void aRefusalIsPrintedAsItIsAndNothingIsAwaited() throws Exception {
        Response refused = Response.error(Response.FAILED, "not re-executing: the new code refused to take over; the "
                + "manager and its units carry on unchanged");
        server(new Ping(PID, "1.0", 0), refused);
        Run r = outcome(reexec());
        assertEquals(new Run(1, "", refused.err()), r);
    }

    @Test
    void aManagerOlderThanTheVerbIsToldApartFromAMistake() throws Exception {
        // its ping says "manage-procs manager pid N" only, and it refuses the verb as unknown
        server(new Ping(PID, "unknown", 0), Response.error(Response.USAGE, "unknown request 'daemon-reexec'; this "
                + "manager speaks control protocol 1 (is the client newer than the manager?)"));
        Run r = outcome(reexec());
        assertEquals(new Run(1, "", "manage-procs: the manager (pid " + PID + ") is older than daemon-reexec, so it "
                + "cannot hand its units to new code; restart it once when its units may restart (systemctl restart "
                + "manage-procs), and later upgrades re-execute it\n"), r);
    }

    @Test
    void withoutAManagerItSaysSoAsEveryCommandDoes() throws Exception {
        Run r = outcome(reexec());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("manage-procs: no manager is running on " + socket()), r.err());
    }
}
