package dev.manageprocs.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child writes 32 MB as fast as its terminal takes it while one console client reads along and
 * another has stopped reading. Nothing may be lost where the README promises it is kept: the reading
 * client and the log get every byte; the stalled client gets what fitted in its queue, then
 * {@code @@@ N bytes of output were dropped...} when it reads again, and the manager's memory for
 * it stays within that queue (8 MiB plus the 64 KiB history).
 */
class FloodIT {
    private static final int MB = 32;
    private static final byte[] END = "END-OF-FLOOD".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern DROPPED = Pattern.compile(
            "\r\n@@@ (\\d+) bytes of output were dropped because this client was not reading\r\n");
    /**
     * Live heap the flood may add: the stalled client's full queue (8 MiB + 64 KiB) and the history
     * (64 KiB), with room to spare; far below the 32 MB an unbounded queue would keep.
     */
    private static final long HEAP_BOUND = 12L << 20;

    @TempDir
    Path tmp;

    @Test
    void theReaderAndTheLogGetEveryByteTheStalledClientIsToldWhatItMissedAndMemoryStaysBounded() throws Exception {
        Path data = tmp.resolve("data.txt");
        byte[] expected = writeData(data);
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("flood", """
                    [process]
                    command = ["sh", "-c", "cat %s; echo END-OF-\\\"FLOOD\\\"; exec sleep 100000"]
                    [restart]
                    autostart = false
                    [log]
                    timestamp = false
                    """.formatted(data));
            assertEquals(0, m.cli("reload").exit());
            Path console = m.runDir.resolve("flood/control");
            Eventually.await("the console of flood", ManagerProcess.WAIT, () -> Files.exists(console));

            try (SocketChannel stalled = connect(console); SocketChannel reading = connect(console)) {
                long heapBefore = liveHeap(m.pid());
                CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readUntilEnd(reading));
                assertEquals(0, m.cli("start", "flood").exit());
                byte[] got = read.get(120, TimeUnit.SECONDS);
                long heapAfter = liveHeap(m.pid());

                byte[] live = from(got, "@@@ Restarting child");
                assertExact(expected, between(live, data(expected), END), "the reading client");
                assertTrue(live.length > expected.length);
                // 32 MB pass max_size (10 MiB) three times: the rotated files and the current one, oldest first
                Eventually.await("the log to hold the end marker", Duration.ofSeconds(10),
                        () -> indexOf(wholeLog(m.logDir), END, 0) >= 0);
                assertExact(expected, between(wholeLog(m.logDir), data(expected), END), "the console log (all its files)");

                long growth = heapAfter - heapBefore;
                System.out.printf("FloodIT: %d MB through the console; manager live heap %d KiB before, %d KiB after "
                        + "(growth %d KiB, bound %d KiB)%n", MB, heapBefore >> 10, heapAfter >> 10, growth >> 10,
                        HEAP_BOUND >> 10);
                assertTrue(growth < HEAP_BOUND, "the manager kept " + (growth >> 10) + " KiB more live heap after the flood");

                // the stalled client reads again: a prefix of the same stream, then how much it missed
                String rest = readUntil(stalled, DROPPED);
                byte[] stalledLive = from(rest.getBytes(StandardCharsets.ISO_8859_1), "@@@ Restarting child");
                Matcher notice = DROPPED.matcher(new String(stalledLive, StandardCharsets.ISO_8859_1));
                assertTrue(notice.find());
                int kept = notice.start();
                long dropped = Long.parseLong(notice.group(1));
                assertTrue(kept < 10 << 20, "the stalled client got " + kept + " bytes: its queue is not bounded");
                assertExact(Arrays.copyOf(live, kept), Arrays.copyOf(stalledLive, kept), "what the stalled client kept");
                assertEquals(live.length, kept + dropped, "kept + dropped is everything the child wrote since");
            }
        }
    }

    /** Lines of 79 columns ('\n' included), numbered so any loss or reordering shows. */
    private static byte[] writeData(Path file) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(MB << 20);
        String filler = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-+=_.,:;";
        for (int i = 0; b.size() < MB * 1_000_000; i++) {
            b.writeBytes(String.format("%08d %s\n", i, filler.substring(0, 69)).getBytes(StandardCharsets.US_ASCII));
        }
        Files.write(file, b.toByteArray());
        // what a client sees: the terminal turns every \n into \r\n
        return new String(b.toByteArray(), StandardCharsets.US_ASCII).replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] data(byte[] expected) {
        return Arrays.copyOf(expected, 9); // "00000000 ": where the data starts
    }

    private static void assertExact(byte[] expected, byte[] actual, String who) {
        int at = Arrays.mismatch(expected, actual);
        assertEquals(-1, at, () -> who + " differs from what the child wrote at byte " + at + " of " + expected.length
                + " (got " + actual.length + " bytes)");
    }

    private static SocketChannel connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return ch;
    }

    private static byte[] readUntilEnd(SocketChannel ch) {
        ByteArrayOutputStream all = new ByteArrayOutputStream((MB + 4) << 20);
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        byte[] tail = new byte[0];
        try {
            while (indexOf(tail, END, 0) < 0) {
                buf.clear();
                if (ch.read(buf) < 0) {
                    throw new IOException("the console closed the connection");
                }
                all.write(buf.array(), 0, buf.position());
                // the marker may straddle two reads: look at the end of the last one and all of this one
                byte[] both = Arrays.copyOf(tail, tail.length + buf.position());
                System.arraycopy(buf.array(), 0, both, tail.length, buf.position());
                tail = Arrays.copyOfRange(both, Math.max(0, both.length - buf.position() - END.length), both.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toByteArray();
    }

    private static String readUntil(SocketChannel ch, Pattern pattern) throws IOException {
        StringBuilder text = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        while (!pattern.matcher(text).find()) {
            buf.clear();
            if (ch.read(buf) < 0) {
                throw new IOException("the console closed the connection; got: " + text);
            }
            text.append(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    /** The manager's heap in bytes after a full collection (jcmd GC.run, then GC.heap_info). */
    private static long liveHeap(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        long kb = 0;
        while (used.find()) {
            kb += Long.parseLong(used.group(1));
        }
        assertTrue(kb > 0, () -> "no heap figures in: " + info);
        return kb << 10;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, () -> "jcmd " + command + ": " + out);
        return out;
    }

    /** flood.log.5 ... flood.log.1, flood.log concatenated. */
    private static byte[] wholeLog(Path logDir) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 5; i >= 0; i--) {
            Path f = logDir.resolve(i == 0 ? "flood.log" : "flood.log." + i);
            try {
                all.writeBytes(Files.readAllBytes(f));
            } catch (IOException missing) {
                // fewer rotations than keep allows
            }
        }
        return all.toByteArray();
    }

    /** bytes from the first occurrence of marker on. */
    private static byte[] from(byte[] bytes, String marker) {
        int at = indexOf(bytes, marker.getBytes(StandardCharsets.US_ASCII), 0);
        assertTrue(at >= 0, () -> "no '" + marker + "' in " + bytes.length + " bytes");
        return Arrays.copyOfRange(bytes, at, bytes.length);
    }

    /** bytes from the first occurrence of start up to (without) the first end after it. */
    private static byte[] between(byte[] bytes, byte[] start, byte[] end) {
        int from = indexOf(bytes, start, 0);
        assertTrue(from >= 0, "the data never starts");
        int to = indexOf(bytes, end, from);
        assertTrue(to >= 0, "the end marker is missing");
        return Arrays.copyOfRange(bytes, from, to);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
