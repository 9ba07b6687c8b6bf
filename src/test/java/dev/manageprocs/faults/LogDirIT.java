package dev.manageprocs.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A unit's log directory goes away, or stops taking new files, while the unit prints a numbered line
 * every 50 ms. The unit keeps running untouched, the manager reports the problem once (not once per
 * line or per retry), and the log continues by itself once the directory is usable again.
 */
class LogDirIT {
    private static final Pattern LINE = Pattern.compile("line (\\d+)\r?\n");

    @TempDir
    Path tmp;

    @Test
    void aRemovedLogDirectoryIsReportedOnceAndLoggingResumesWhenItIsBack() throws Exception {
        Path logs = tmp.resolve("logs");
        try (var m = talker(logs); var console = new LineWatcher(m.runDir.resolve("talker/control"))) {
            ControlSocket control = new ControlSocket(m.runDir.resolve("control.sock"));
            String pid = control.units().get("talker").pid();
            Path log = logs.resolve("talker.log");
            Eventually.await("the log to fill", Duration.ofSeconds(10), () -> lastLine(log) >= 3);

            try (var files = Files.walk(logs)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            int gone = console.awaitLine(console.last() + 1);
            console.awaitLine(gone + 50); // 2.5 s of output with nowhere to go: two more attempts to open
            assertEquals(1, count(m.managerOutput(), "console log " + log + " cannot be opened"), m::managerOutput);

            Files.createDirectories(logs);
            int back = console.last();
            Eventually.await("the log to resume", Duration.ofSeconds(10), () -> lastLine(log) > back);
            assertEquals(1, count(m.managerOutput(), "console log " + log + " resumed;"), m::managerOutput);
            assertEquals(pid, control.units().get("talker").pid(), "the unit kept its child");
            assertEquals(0, control.units().get("talker").restarts());
            assertEquals("RUNNING", control.units().get("talker").state());
        }
    }

    private ManagerProcess talker(Path logs) throws Exception {
        Files.createDirectories(logs);
        var m = new ManagerProcess(tmp.resolve("m"));
        m.writeUnit("talker", """
                [process]
                command = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo line $i; sleep 0.05; done"]
                [log]
                file = "%s"
                timestamp = false
                """.formatted(logs.resolve("talker.log")));
        assertEquals(0, m.cli("reload").exit());
        ControlSocket control = new ControlSocket(m.runDir.resolve("control.sock"));
        Eventually.await("talker to run", ManagerProcess.WAIT, () -> control.units().get("talker").state().equals("RUNNING"));
        return m;
    }


    private static int lastLine(Path log) {
        try {
            Matcher m = LINE.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
            int last = -1;
            while (m.find()) {
                last = Integer.parseInt(m.group(1));
            }
            return last;
        } catch (IOException e) {
            return -1;
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** A console client that follows the numbered lines, so the test waits for output, not for time. */
    private static final class LineWatcher implements AutoCloseable {
        private final SocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(8192);
        private final StringBuilder pending = new StringBuilder();
        private int last = -1;

        LineWatcher(Path console) throws IOException {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(console));
        }

        int last() {
            return last;
        }

        /** Reads until line n (or later) has been printed; returns the last line number seen. */
        int awaitLine(int n) throws IOException {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (last < n) {
                assertTrue(System.nanoTime() < deadline, "line " + n + " never came; last was " + last);
                if (ch.read(buf.clear()) < 0) {
                    throw new IOException("the console closed");
                }
                pending.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
                Matcher m = LINE.matcher(pending);
                int end = 0;
                while (m.find()) {
                    last = Math.max(last, Integer.parseInt(m.group(1)));
                    end = m.end();
                }
                pending.delete(0, end);
            }
            return last;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
