package dev.manageprocs.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.control.Request;
import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM reaches the manager while 100 units are being loaded, started, stopped and restarted by
 * concurrent requests; some children have background jobs, some ignore SIGTERM. The manager must exit
 * 0 and leave nothing behind: no child, no background job of a child (every process whose
 * environment carries this manager's PROCSERV_INFO counts).
 */
class ShutdownIT {
    private static final int UNITS = 100;

    @TempDir
    Path tmp;

    @Test
    void sigtermWhileUnitsStartAndStopExitsCleanlyAndLeavesNoProcessBehind() throws Exception {
        var m = new ManagerProcess(tmp.resolve("m"));
        String marker = "PROCSERV_INFO=PID=" + m.pid() + ";";
        try {
            for (int i = 0; i < UNITS; i++) {
                m.writeUnit(String.format("u%03d", i), unit(i));
            }
            ControlSocket control = new ControlSocket(m.runDir.resolve("control.sock"));
            AtomicInteger requests = new AtomicInteger();
            int seen;
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                pool.submit(() -> control.send(Request.of("reload")));
                List<Request> churn = List.of(
                        new Request("restart", List.of("u0*"), Map.of(), Map.of()),
                        new Request("stop", List.of("u1*", "u2*"), Map.of(), Map.of()),
                        new Request("start", List.of("*"), Map.of(), Map.of()),
                        new Request("restart", List.of("u9*", "u8*"), Map.of(), Map.of()));
                for (Request r : churn) {
                    pool.submit(() -> {
                        while (true) {
                            try {
                                control.send(r);
                                requests.incrementAndGet();
                            } catch (IOException managerGone) {
                                return null;
                            }
                        }
                    });
                }
                // SIGTERM in the thick of it: once the first children run, with the rest still coming
                Eventually.await("the first children", ManagerProcess.WAIT, () -> processes(marker).size() >= 30);
                seen = processes(marker).size();
                int exit = m.terminate();
                assertEquals(0, exit, m::managerOutput);
            }
            Eventually.until(Duration.ofSeconds(5), () -> processes(marker).isEmpty(),
                    () -> "every process of the manager's units to be gone; left: " + ProcFs.describe(processes(marker))
                            + "\nmanager log:\n" + m.managerOutput());
            String log = m.managerOutput();
            System.out.printf("ShutdownIT: SIGTERM with %d unit processes up and %d requests answered; exit 0, nothing left%n",
                    seen, requests.get());
            assertTrue(log.contains("manager stopped"), log);
        } finally {
            for (int pid : processes(marker)) { // never leave a failed run's processes on the machine
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            m.close();
        }
    }

    /** Plain children, children with a background job, and children that ignore SIGTERM and SIGHUP (killed after 1 s). */
    private static String unit(int i) {
        String command = switch (i % 4) {
            case 0 -> "[\"sleep\", \"100000\"]";
            case 1, 2 -> "[\"sh\", \"-c\", \"sleep 100000 & wait\"]";
            // deaf to SIGTERM and to the hangup of their terminal: only the manager's SIGKILL ends them
            default -> "[\"sh\", \"-c\", \"trap '' TERM HUP; sleep 100000 & wait\"]";
        };
        return """
                [process]
                command = %s
                stop_timeout = "1s"
                [restart]
                holdoff = "0s"
                autostart = %s
                [console]
                listen = ["unix:default"]
                """.formatted(command, i % 5 != 0);
    }

    private static List<Integer> processes(String marker) {
        return ProcFs.withEnvironment(marker);
    }
}
