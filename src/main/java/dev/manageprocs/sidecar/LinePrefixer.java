package dev.manageprocs.sidecar;

import dev.manageprocs.unit.TimestampFormat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * Puts a timestamp in front of every line of a byte stream that arrives in arbitrary chunks.
 *
 * <p>The prefix is emitted right before the first byte of a line, so a line keeps the time at which
 * it began even when its end arrives later, and a chunk ending in "\n" gets no prefix until the next
 * byte comes. Only '\n' ends a line: "\r\n" (what a PTY sends) is one line end, and a lone '\r'
 * (progress bars redrawing a line) stays inside its line, because the terminal shows it that way.
 */
final class LinePrefixer {

    private final TimestampFormat format;
    private final ZoneId zone;
    /**
     * Where prefixed chunks are built, reused so a flood does not allocate. One per thread, not per
     * unit: all logs write on the event loop, so a thousand units share one buffer instead of holding
     * a thousand copies of their largest chunk.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        byte[] bytes = new byte[0];
    }

    private boolean atLineStart = true;

    LinePrefixer(TimestampFormat format, ZoneId zone) {
        this.format = format;
        this.zone = zone;
    }

    /**
     * Prefixes the lines of the chunk; the result is {@code bytes()[0 .. return value)}, valid until
     * the next call on this thread.
     */
    int prefix(byte[] buf, int off, int len) {
        Scratch out = SCRATCH.get();
        byte[] stamp = null; // one timestamp per chunk: all of it arrived at the same moment
        int n = 0;
        int end = off + len;
        int i = off;
        while (i < end) {
            if (atLineStart) {
                if (stamp == null) {
                    stamp = format.format(Instant.now(), zone).getBytes(StandardCharsets.UTF_8);
                }
                n = append(out, n, stamp, 0, stamp.length);
                atLineStart = false;
            }
            int lineEnd = indexOfNewline(buf, i, end);
            int stop = lineEnd < 0 ? end : lineEnd + 1;
            n = append(out, n, buf, i, stop - i);
            atLineStart = lineEnd >= 0;
            i = stop;
        }
        return n;
    }

    /** False in the middle of a line: the next chunk continues it without a stamp. */
    boolean atLineStart() {
        return atLineStart;
    }

    /** For a log handed over by a live re-exec: the next chunk continues a line already written. */
    void resumeMidLine() {
        atLineStart = false;
    }

    byte[] bytes() {
        return SCRATCH.get().bytes;
    }

    private static int append(Scratch out, int n, byte[] src, int from, int count) {
        if (n + count > out.bytes.length) {
            out.bytes = Arrays.copyOf(out.bytes, Math.max(n + count, out.bytes.length * 2));
        }
        System.arraycopy(src, from, out.bytes, n, count);
        return n + count;
    }

    private static int indexOfNewline(byte[] buf, int from, int end) {
        for (int i = from; i < end; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
