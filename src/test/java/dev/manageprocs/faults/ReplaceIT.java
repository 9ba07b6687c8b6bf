package dev.manageprocs.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import dev.manageprocs.testing.ManagerProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two copies of one IOC serving the same PVs is the worst failure a process manager can have. While a
 * unit is being replaced by its changed file (its child ignores SIGTERM, so the stop lasts the whole
 * stop_timeout), reloads and SIGHUPs keep coming: the unit must stay registered throughout, and at no
 * moment may two of its children run.
 */
class ReplaceIT {
    @TempDir
    Path tmp;

    /** One process per child (sh execs sleep, which keeps SIGTERM ignored), tagged with its version. */
    private static String unit(int version) {
        return """
                [process]
                command = ["sh", "-c", "trap '' TERM; exec sleep 100000"]
                env = { TWIN_VERSION = "%d" }
                stop_timeout = "3s"
                """.formatted(version);
    }

    @Test
    void reloadWhileAChangedUnitIsBeingReplacedStartsNoSecondCopy() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("twinioc", unit(1));
            m.cli("reload");
            Eventually.await("version 1 running", ManagerProcess.WAIT, () -> children("1").size() == 1);
            m.writeUnit("twinioc", unit(2));
            Process replacing = m.cliProcess("reload", "--restart-changed");
            assertNoTwinWhile(m, replacing, true);
            Eventually.await("version 2 running", ManagerProcess.WAIT, () -> children("2").size() == 1);
            assertEquals(List.of(), children("1"), "the old child is gone");
        }
    }

    @Test
    void addForceNowWhileReloadsComeStartsNoSecondCopy() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("twinioc", unit(1));
            m.cli("reload");
            Eventually.await("version 1 running", ManagerProcess.WAIT, () -> children("1").size() == 1);
            Path file = tmp.resolve("twinioc.toml");
            Files.writeString(file, unit(2));
            Process replacing = m.cliProcess("add", "--force", "--now", file.toString());
            assertNoTwinWhile(m, replacing, true);
            Eventually.await("version 2 running", ManagerProcess.WAIT, () -> children("2").size() == 1);
            assertEquals(List.of(), children("1"), "the old child is gone");
        }
    }

    @Test
    void removeWhileReloadsComeStartsNoSecondCopy() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("twinioc", unit(1));
            m.cli("reload");
            Eventually.await("version 1 running", ManagerProcess.WAIT, () -> children("1").size() == 1);
            Process removing = m.cliProcess("remove", "-f", "twinioc");
            assertNoTwinWhile(m, removing, false);
            assertEquals(List.of(), children("1"), "the removed unit's child is gone");
            assertEquals(4, m.cli("status", "twinioc").exit(), "removed for good, not loaded again by a reload");
            assertTrue(Files.notExists(m.unitDir.resolve("twinioc.toml")));
        }
    }

    /**
     * Until the request ends: reloads, SIGHUPs and status calls; never two children, and while a unit is
     * replaced ({@code staysListed}) never "no such unit".
     */
    private static void assertNoTwinWhile(ManagerProcess m, Process request, boolean staysListed) throws Exception {
        List<String> problems = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int rounds = 0;
        while (request.isAlive() && System.nanoTime() < deadline) {
            rounds++;
            if (rounds % 2 == 0) {
                new ProcessBuilder("kill", "-HUP", Long.toString(m.pid())).start().waitFor();
            } else {
                m.cli("reload");
            }
            Result status = m.cli("status", "twinioc");
            if (staysListed && status.exit() == 4) {
                problems.add("status said no such unit: " + status.err().strip());
            }
            List<Integer> running = new ArrayList<>(children("1"));
            running.addAll(children("2"));
            if (running.size() > 1) {
                problems.add("two children at once:" + ProcFs.describe(running));
            }
        }
        assertTrue(request.waitFor(20, TimeUnit.SECONDS), "the replacing request did not end");
        assertTrue(rounds >= 3, "only " + rounds + " rounds ran while the request was under way:\n" + m.managerOutput());
        assertEquals(List.of(), problems, m::managerOutput);
        assertEquals(0, request.exitValue(), () -> new String(readAll(request)));
    }

    private static byte[] readAll(Process p) {
        try {
            return p.getInputStream().readAllBytes();
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    private static List<Integer> children(String version) {
        List<Integer> unit = ProcFs.withEnvironment("PROCSERV_NAME=twinioc\0");
        List<Integer> tagged = ProcFs.withEnvironment("TWIN_VERSION=" + version + "\0");
        unit.retainAll(tagged);
        return unit;
    }
}
