package dev.manageprocs.manager;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a manager crash: a pid file is only trusted while it still names the process that was started. */
class OrphansIT {
    @TempDir
    Path tmp;

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void aChildThatOutlivedACrashedManagerIsStoppedBeforeTheUnitStartsAgain() throws Exception {
        Path root = tmp.resolve("m");
        var first = new ManagerProcess(root);
        // ignores SIGHUP, so the pty hang-up at the manager's death does not end it
        first.writeUnit("stubborn", """
                [process]
                command = ["sh", "-c", "trap '' HUP; exec sleep 100000"]
                stop_timeout = "2s"
                """);
        first.cli("reload");
        Eventually.await("running", ManagerProcess.WAIT, () -> first.cli("status", "stubborn").exit() == 0);
        int orphan = Integer.parseInt(Files.readString(first.runDir.resolve("stubborn/pid")).strip());
        first.crash();
        assertTrue(alive(orphan), "the test needs a child that survives its manager");

        try (var second = new ManagerProcess(root)) {
            Eventually.await("the orphan stopped", ManagerProcess.WAIT, () -> !alive(orphan));
            Eventually.await("a new child running", ManagerProcess.WAIT, () -> second.cli("status", "stubborn").exit() == 0);
            int fresh = Integer.parseInt(Files.readString(second.runDir.resolve("stubborn/pid")).strip());
            assertNotEquals(orphan, fresh);
            assertTrue(second.managerOutput().contains("child pid " + orphan + " of a previous manager is still running"),
                    second::managerOutput);
        }
    }

    @Test
    void aRecycledPidInAStalePidFileIsLeftAlone() throws Exception {
        Process bystander = new ProcessBuilder("sleep", "100000").start();
        try {
            Path root = tmp.resolve("m");
            Files.createDirectories(root.resolve("config/manage-procs/units"));
            Files.writeString(root.resolve("config/manage-procs/units/quiet.toml"), "[process]\ncommand = [\"sleep\", \"100000\"]\n");
            // a pid file from long ago whose pid now belongs to an unrelated process
            Path pidFile = Files.writeString(Files.createDirectories(root.resolve("run/manage-procs/quiet")).resolve("pid"),
                    bystander.pid() + "\n");
            Files.setLastModifiedTime(pidFile, FileTime.from(Instant.now().minusSeconds(3600)));
            try (var m = new ManagerProcess(root)) {
                Eventually.await("the unit running", ManagerProcess.WAIT, () -> m.cli("status", "quiet").exit() == 0);
                assertTrue(bystander.isAlive(), "a process that merely has the recorded pid must not be signalled");
                assertFalse(m.managerOutput().contains("of a previous manager"), m::managerOutput);
            }
        } finally {
            bystander.destroyForcibly();
            assertTrue(bystander.waitFor(10, TimeUnit.SECONDS));
        }
    }
}
