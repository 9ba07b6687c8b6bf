package dev.manageprocs.control;

import dev.manageprocs.access.Authorizer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged CLI, run as the real user 'nobody' (these tests run as root), against a live control socket. */
class ControlPeerIT {
    @TempDir
    Path dir;

    private Path socket;
    private Path config;
    private final AtomicInteger handled = new AtomicInteger();

    @BeforeEach
    void reachableByNobody() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        socket = dir.resolve("control.sock");
        config = Files.writeString(dir.resolve("manager.toml"), "control_socket = \"" + socket + "\"\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private ControlServer server(String controlGroup) throws Exception {
        // 0666: the kernel lets anyone connect, so the Authorizer is what decides.
        return server(controlGroup, 0666);
    }

    private ControlServer server(String controlGroup, int mode) throws Exception {
        ControlServer s = new ControlServer(socket, mode, Optional.empty(), new Authorizer(0, controlGroup),
                (req, peer) -> {
                    handled.incrementAndGet();
                    return Response.ok("hello " + peer.user() + " uid " + peer.uid() + " gid " + peer.gid() + "\n");
                }, new Ping(ProcessHandle.current().pid(), "test", 0), Duration.ofSeconds(5));
        s.start();
        return s;
    }

    private record Result(int exit, String out, String err) {
    }

    private Result statusAsNobody() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                java.toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                System.getProperty("manageprocs.jar"), "--config", config.toString(), "status"))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the client did not finish");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aUserOutsideTheControlGroupIsRefusedAndTheHandlerNeverRuns() throws Exception {
        try (ControlServer s = server("root")) {
            Result r = statusAsNobody();

            assertEquals(new Result(1, "", "manage-procs: permission denied: user 'nobody' (uid 65534) is not root "
                    + "and not in group 'root'; ask an administrator to add you to that group\n"), r);
            assertEquals(0, handled.get());
        }
    }

    @Test
    void aSocketFileTheUserMayNotOpenIsExplained() throws Exception {
        try (ControlServer s = server("nogroup", 0600)) {
            Result r = statusAsNobody();

            assertEquals(new Result(1, "", "manage-procs: permission denied on " + socket + ": only root, the "
                    + "manager's user and members of its control_group may use it; ask an administrator to add you "
                    + "to that group\n"), r);
        }
    }

    @Test
    void aMemberOfTheControlGroupMayAct() throws Exception {
        try (ControlServer s = server("nogroup")) {
            Result r = statusAsNobody();

            assertEquals(new Result(0, "hello nobody uid 65534 gid 65534\n", ""), r);
            assertEquals(1, handled.get());
        }
    }
}
