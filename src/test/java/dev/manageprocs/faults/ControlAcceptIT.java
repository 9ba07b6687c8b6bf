package dev.manageprocs.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager out of file descriptors cannot accept a control connection; the connection stays queued,
 * so accept fails again at once. It must pause between tries rather than spin a core, and accept again
 * once fds are free.
 */
class ControlAcceptIT {
    @TempDir
    Path tmp;

    @Test
    void outOfFdsTheControlSocketPausesInsteadOfSpinningAndRecovers() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            long pid = m.pid();
            int open = ProcFs.fdCount(pid);
            String original = softFdLimit(pid);
            setFdLimit(pid, Integer.toString(open + 2));
            List<SocketChannel> clients = new ArrayList<>();
            try {
                Path sock = m.runDir.resolve("control.sock");
                for (int i = 0; i < 6; i++) { // two take the last fds, the rest wait in the backlog
                    clients.add(SocketChannel.open(UnixDomainSocketAddress.of(sock)));
                }
                Eventually.await("accept to fail for want of fds", ManagerProcess.WAIT,
                        () -> m.managerOutput().contains("accept failed"));
                long before = cpuTicks(pid);
                long t0 = System.nanoTime();
                // a measurement window, not a wait for a condition: how much CPU does the manager burn?
                Thread.sleep(2000);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double share = (cpuTicks(pid) - before) / 100.0 / seconds;
                assertTrue(share < 0.2, "the manager used " + Math.round(share * 100) + " % of a core while out of fds");
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
                setFdLimit(pid, original);
            }
            Eventually.await("status to work again", ManagerProcess.WAIT, () -> m.cli("status").exit() == 0);
            assertEquals(0, m.cli("status").exit());
        }
    }

    /** The soft limit only: a lowered hard limit could not be raised again without CAP_SYS_RESOURCE. */
    private static void setFdLimit(long pid, String soft) throws Exception {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + soft + ":")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "prlimit failed: " + out);
    }

    private static String softFdLimit(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
            if (line.startsWith("Max open files")) {
                return line.substring("Max open files".length()).trim().split("\\s+")[0];
            }
        }
        throw new IllegalStateException("no 'Max open files' in /proc/" + pid + "/limits");
    }

    /** utime + stime of the whole process, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
