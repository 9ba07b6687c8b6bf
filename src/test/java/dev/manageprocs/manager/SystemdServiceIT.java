package dev.manageprocs.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.control.ControlClient;
import dev.manageprocs.control.Ping;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.SocketPath;
import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import dev.manageprocs.testing.ManagerProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the systemd service relies on, against the real launcher: sd_notify states and reopen-logs. */
class SystemdServiceIT {
    private static final Duration WAIT = ManagerProcess.WAIT;

    @TempDir
    Path tmp;

    private static Path unitDir(Path root) throws Exception {
        return Files.createDirectories(root.resolve("config/manage-procs/units"));
    }

    private static String content(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void systemdHearsReadyOnceAutostartUnitsRunThenReloadingAndStopping() throws Exception {
        Path root = tmp.resolve("m");
        Files.writeString(unitDir(root).resolve("ioc.toml"), """
                [process]
                command = ["sh", "-c", "echo notify=${NOTIFY_SOCKET:-unset}; exec sleep 100000"]
                """);
        String path = tmp.resolve("notify").toString();
        try (NotifySocket systemd = new NotifySocket(path);
             ManagerProcess m = new ManagerProcess(root, Map.of("NOTIFY_SOCKET", path))) {
            String ready = systemd.await("READY=1", WAIT);
            assertTrue(ready.lines().anyMatch(l -> l.startsWith("STATUS=running")), ready);
            Result status = m.cli("status", "ioc");
            assertEquals(0, status.exit(), status::toString); // exit 0 = running

            Path log = m.logDir.resolve("ioc.log");
            Eventually.until(WAIT, () -> content(log).contains("notify="), () -> "the unit's first line in " + log);
            assertTrue(content(log).contains("notify=unset"), "a unit must not inherit NOTIFY_SOCKET:\n" + content(log));

            Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(m.pid())).inheritIO().start();
            assertEquals(0, hup.waitFor());
            systemd.await("RELOADING=1", WAIT);
            Eventually.until(WAIT, () -> systemd.messages().size() >= 3,
                    () -> "READY=1 after the reload, got " + systemd.messages());
            List<String> all = systemd.messages();
            assertTrue(all.get(1).startsWith("RELOADING=1"), all::toString);
            assertTrue(all.get(2).startsWith("READY=1"), all::toString);

            assertEquals(0, m.terminate(), m::managerOutput);
            assertTrue(systemd.messages().get(3).startsWith("STOPPING=1"), systemd.messages()::toString);
        }
    }

    @Test
    void aLiveReexecStaysMainPidAndSaysReloadingThenReadyAgain() throws Exception {
        Path root = tmp.resolve("m");
        Files.writeString(unitDir(root).resolve("ioc.toml"), """
                [process]
                command = ["sleep", "100000"]
                """);
        String path = tmp.resolve("notify").toString();
        try (NotifySocket systemd = new NotifySocket(path);
             ManagerProcess m = new ManagerProcess(root, Map.of("NOTIFY_SOCKET", path))) {
            systemd.await("READY=1", WAIT);
            ControlClient control = new ControlClient(new SocketPath(m.runDir.resolve("control.sock"), false));
            Response r = control.send(Request.of("daemon-reexec"));
            assertEquals(0, r.exitCode(), r::toString);
            Eventually.until(WAIT, () -> systemd.messages().size() >= 3,
                    () -> "READY=1 after the re-exec, got " + systemd.messages());
            List<String> all = systemd.messages();
            assertTrue(all.get(1).startsWith("RELOADING=1\nSTATUS=re-executing"), all::toString);
            assertTrue(all.get(1).lines().anyMatch(l -> l.matches("MONOTONIC_USEC=\\d+")), all::toString);
            assertTrue(all.get(2).startsWith("READY=1"), all::toString);
            assertEquals(1, Ping.parse(control.send(Request.of("ping")).out()).orElseThrow().generation());
            assertTrue(m.alive(), "the same process, so systemd's MainPID, runs on");
            assertEquals(0, m.terminate(), m::managerOutput);
            assertTrue(systemd.messages().get(3).startsWith("STOPPING=1"), systemd.messages()::toString);
        }
    }

    @Test
    void reopenLogsStartsAFreshFileAtThePathAfterLogrotateMovedTheOldOne() throws Exception {
        Path root = tmp.resolve("m");
        Files.writeString(unitDir(root).resolve("ioc.toml"), """
                [process]
                command = ["sh", "-c", "echo before-rotation; exec sleep 100000"]
                """);
        try (ManagerProcess m = new ManagerProcess(root)) {
            Path log = m.logDir.resolve("ioc.log");
            Eventually.until(WAIT, () -> content(log).contains("before-rotation"), () -> "the first line in " + log);
            Path rotated = Files.move(log, m.logDir.resolve("ioc.log.1"));

            Result r = m.cli("reopen-logs");
            assertEquals(0, r.exit(), r::toString);
            assertEquals("reopened the console logs of 1 units\n", r.out());
            // the child writes nothing more: only the reopen can have made the new file
            assertTrue(Files.exists(log), "reopen-logs must create " + log);
            assertTrue(content(rotated).contains("before-rotation"));
            assertTrue(m.managerOutput().contains("console logs of 1 units reopened, requested by"), m::managerOutput);
        }
    }
}
