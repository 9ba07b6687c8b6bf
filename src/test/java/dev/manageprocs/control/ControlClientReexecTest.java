package dev.manageprocs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.access.Authorizer;
import dev.manageprocs.testing.Eventually;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client across a manager's live re-exec: while {@link ReexecMarker} names a live process, a refused
 * or missing control socket is waited for; without a marker, or with one left by a dead manager, the
 * client fails at once as it always did.
 */
class ControlClientReexecTest {
    @TempDir
    Path dir;

    private ControlServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Path socket() {
        return dir.resolve("control.sock");
    }

    /** A socket file nothing listens on, as a stopped accept (or a crash) leaves it: connect is refused. */
    private void staleSocket() throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(socket()));
        }
        assertTrue(Files.exists(socket()));
    }

    private void startServer() throws IOException {
        server = new ControlServer(socket(), 0600, Optional.empty(), new Authorizer(0, "manage-procs"),
                (request, peer) -> Response.ok("did " + request.verb() + "\n"),
                new Ping(ProcessHandle.current().pid(), "test", 1));
        server.start();
    }

    /** The call, on a thread of its own, and that thread (to see it wait). */
    private record Pending(Thread thread, CompletableFuture<Response> reply) {
        /** Parked between two tries: the client found the socket refused or missing and waits. */
        boolean retrying() {
            return thread.getState() == Thread.State.TIMED_WAITING;
        }
    }

    private static Pending call(ControlClient client) {
        CompletableFuture<Response> reply = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().start(() -> reply.complete(client.send(Request.of("status"))));
        return new Pending(t, reply);
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return p.pid();
    }

    @Test
    void aRefusedSocketIsWaitedForWhileAMarkerNamesALiveProcess() throws Exception {
        staleSocket();
        ReexecMarker.write(socket(), ProcessHandle.current().pid());
        ControlClient client = new ControlClient(new SocketPath(socket(), false));
        Pending pending = call(client);
        Eventually.until(pending::retrying, () -> "the client to wait for the socket; state " + pending.thread().getState());
        assertFalse(pending.reply().isDone());

        startServer(); // what the re-executed manager does: bind again, then remove the marker
        ReexecMarker.remove(socket());
        assertEquals(Response.ok("did status\n"), pending.reply().get(10, TimeUnit.SECONDS));
        assertTrue(client.waitedForReexec());
    }

    @Test
    void aMissingSocketFileIsWaitedForToo() throws Exception {
        ReexecMarker.write(socket(), ProcessHandle.current().pid());
        ControlClient client = new ControlClient(new SocketPath(socket(), false));
        Pending pending = call(client);
        Eventually.until(pending::retrying, () -> "the client to wait for the socket; state " + pending.thread().getState());

        startServer();
        assertEquals(Response.ok("did status\n"), pending.reply().get(10, TimeUnit.SECONDS),
                "answered while the marker is still there");
        assertEquals(1, client.ping().orElseThrow().generation(), "the re-executed manager's ping");
    }

    @Test
    void withoutAMarkerOrWithOneOfADeadManagerTheClientFailsAtOnce() throws Exception {
        staleSocket();
        String noManager = "manage-procs: no manager is running on " + socket() + "; start one with 'manage-procs "
                + "daemon' (or 'systemctl --user start manage-procs')\n";
        ControlClient plain = new ControlClient(new SocketPath(socket(), false));
        assertEquals(noManager, plain.send(Request.of("status")).err());
        assertFalse(plain.waitedForReexec());

        ReexecMarker.write(socket(), deadPid()); // a manager that died mid-way left it
        ControlClient afterCrash = new ControlClient(new SocketPath(socket(), false));
        assertEquals(noManager, afterCrash.send(Request.of("status")).err());
        assertFalse(afterCrash.waitedForReexec(), "a marker naming a dead process must not delay anything");

        Files.delete(socket());
        assertEquals(noManager, afterCrash.send(Request.of("status")).err(), "no socket file, dead marker");
        assertFalse(afterCrash.waitedForReexec());
    }

    @Test
    void theMarkerGoneWithNothingListeningEndsTheWaitWithTheUsualSentence() throws Exception {
        staleSocket();
        ReexecMarker.write(socket(), ProcessHandle.current().pid());
        Pending pending = call(new ControlClient(new SocketPath(socket(), false)));
        Eventually.until(pending::retrying, () -> "the client to wait for the socket");

        ReexecMarker.remove(socket()); // and no manager binds: it died after removing it, say
        Response r = pending.reply().get(10, TimeUnit.SECONDS);
        assertEquals(Response.FAILED, r.exitCode());
        assertTrue(r.err().startsWith("manage-procs: no manager is running on " + socket()), r.err());
    }

    @Test
    void theWaitIsBounded() throws Exception {
        staleSocket();
        long pid = ProcessHandle.current().pid();
        ReexecMarker.write(socket(), pid);
        Response r = new ControlClient(new SocketPath(socket(), false), Duration.ofMillis(200)).send(Request.of("status"));
        assertEquals(Response.FAILED, r.exitCode());
        assertTrue(r.err().startsWith("manage-procs: the manager (pid " + pid + ") on " + socket() + " began to "
                + "re-execute itself and has not accepted connections for ") && r.err().endsWith(" s; check its log\n"),
                r.err());
    }
}
