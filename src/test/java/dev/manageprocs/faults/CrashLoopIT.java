package dev.manageprocs.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A unit that dies at once and is restarted without holdoff, for 30 s, beside a unit an operator is
 * typing into: the operator must not feel it, and the manager must keep answering {@code status}.
 *
 * <p>The yardstick is a twin: a second manager with the same echo unit and no crash loop, probed
 * in alternation with the first in bursts of 20 keystrokes. Both see the same machine (the forks of
 * the crash loop, anyone else's load on a shared host), so what is left between them is what the
 * crash loop costs inside the manager.
 */
class CrashLoopIT {
    private static final int CRASH_SECONDS = 30;

    @TempDir
    Path tmp;

    @Test
    void aUnitCrashLoopingForThirtySecondsLeavesItsNeighboursConsoleAndTheManagerResponsive() throws Exception {
        try (var m = withEchoUnit("m"); var twin = withEchoUnit("twin")) {
            m.writeUnit("crash", """
                    [process]
                    command = ["sh", "-c", "echo crashing; exit 1"]
                    [restart]
                    holdoff = "0s"
                    autostart = false
                    """);
            assertEquals(0, m.cli("reload").exit());
            ControlSocket control = new ControlSocket(m.runDir.resolve("control.sock"));
            String echoPid = control.units().get("echo").pid();

            try (var probe = new EchoProbe(m.runDir.resolve("echo/control"));
                 var yardstick = new EchoProbe(twin.runDir.resolve("echo/control"))) {
                Samples before = new Samples().take(probe, yardstick, 3000); // also the warm-up

                assertEquals(0, m.cli("start", "crash").exit());
                Samples during = new Samples();
                long slowestStatus = 0;
                for (int i = 0; i < CRASH_SECONDS; i++) {
                    during.take(probe, yardstick, 1000);
                    long t0 = System.nanoTime();
                    control.units();
                    slowestStatus = Math.max(slowestStatus, (System.nanoTime() - t0) / 1_000_000);
                }
                int restarts = control.units().get("crash").restarts();
                assertEquals(0, m.cli("stop", "crash").exit());

                long p99 = EchoProbe.percentile(during.unit, 99);
                long twinP99 = EchoProbe.percentile(during.twin, 99);
                String report = "echo p99 before: " + EchoProbe.percentile(before.unit, 99) + " µs (twin "
                        + EchoProbe.percentile(before.twin, 99) + " µs); during the crash loop: " + p99 + " µs (twin "
                        + twinP99 + " µs) over " + during.unit.length + " keystrokes; " + restarts
                        + " restarts in " + CRASH_SECONDS + " s; slowest status " + slowestStatus + " ms";
                System.out.println("CrashLoopIT: " + report);
                assertTrue(restarts >= CRASH_SECONDS * 3, "the unit did not crash-loop: " + report);
                assertTrue(p99 <= 2 * twinP99, "the crash loop more than doubled the neighbour's echo latency: " + report);
                assertTrue(slowestStatus < 2000, "status was slow during the crash loop: " + report);
            }
            ManagerProcess.Result status = m.cli("status");
            assertEquals(0, status.exit(), status::toString);
            assertTrue(status.out().contains("echo") && status.out().contains(echoPid), status::toString);
            assertEquals(echoPid, control.units().get("echo").pid(), "the neighbour's child was never disturbed");
        }
    }

    private ManagerProcess withEchoUnit(String name) throws Exception {
        var m = new ManagerProcess(tmp.resolve(name));
        m.writeUnit("echo", "[process]\ncommand = " + EchoProbe.ECHO_COMMAND + "\n");
        assertEquals(0, m.cli("reload").exit());
        ControlSocket control = new ControlSocket(m.runDir.resolve("control.sock"));
        Eventually.await("echo to run", ManagerProcess.WAIT, () -> control.units().get("echo").state().equals("RUNNING"));
        return m;
    }

    /** Round-trip times of the unit under test and of its twin, taken in alternation. */
    private static final class Samples {
        private long[] unit = new long[0];
        private long[] twin = new long[0];

        /** Bursts of 20 keystrokes to each in turn, for {@code millis}. */
        Samples take(EchoProbe unitProbe, EchoProbe twinProbe, long millis) throws IOException {
            long end = System.nanoTime() + millis * 1_000_000;
            while (System.nanoTime() < end) {
                unit = concat(unit, unitProbe.burst(20));
                twin = concat(twin, twinProbe.burst(20));
            }
            return this;
        }

        private static long[] concat(long[] x, long[] y) {
            long[] r = Arrays.copyOf(x, x.length + y.length);
            System.arraycopy(y, 0, r, x.length, y.length);
            return r;
        }
    }
}
