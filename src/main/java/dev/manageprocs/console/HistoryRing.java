package dev.manageprocs.console;

import java.util.Arrays;

/**
 * The last {@code capacity} bytes of a unit's console, replayed to clients on connect. Memory grows
 * with what was written: nothing until the first output, then a buffer that doubles (from 512 bytes) up
 * to {@code capacity}, after which it wraps. A thousand units that each printed a few lines then hold
 * a few KiB each, not their whole history size.
 */
final class HistoryRing {
    private static final int FIRST_SIZE = 512; // the start announcements of a quiet unit fit
    private final int capacity;
    private byte[] buf = new byte[0];
    /** Index of the oldest byte (non-zero only once the buffer is full and wrapping). */
    private int start;
    private int size;
    /** Whether older output was overwritten (then the replay starts after the first newline). */
    private boolean overwritten;

    HistoryRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("history capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    void append(byte[] src, int off, int len) {
        if (len == 0) {
            return; // nothing to keep, and an empty ring has no buffer to index into
        }
        if (len >= capacity) {
            // only the tail fits: it replaces everything
            buf = buf.length == capacity ? buf : new byte[capacity];
            System.arraycopy(src, off + len - capacity, buf, 0, capacity);
            start = 0;
            overwritten |= size > 0 || len > capacity;
            size = capacity;
            return;
        }
        if (size + len > buf.length && buf.length < capacity) {
            grow(size + len);
        }
        int excess = size + len - buf.length;
        if (excess > 0) { // full at capacity: drop the oldest bytes
            start = (start + excess) % buf.length;
            size -= excess;
            overwritten = true;
        }
        int end = (start + size) % buf.length;
        int first = Math.min(len, buf.length - end);
        System.arraycopy(src, off, buf, end, first);
        System.arraycopy(src, off + first, buf, 0, len - first);
        size += len;
    }

    private void grow(int needed) {
        int n = Math.max(buf.length, FIRST_SIZE);
        while (n < needed && n < capacity) {
            n *= 2;
        }
        n = Math.min(n, capacity);
        byte[] bigger = new byte[n];
        int first = Math.min(size, buf.length - start);
        System.arraycopy(buf, start, bigger, 0, first);
        System.arraycopy(buf, 0, bigger, first, size - first);
        buf = bigger;
        start = 0;
    }

    /** What a live re-exec hands over: every byte kept, oldest first, uncut. */
    ConsoleSnapshot.History handover() {
        byte[] out = new byte[size];
        int first = Math.min(size, buf.length - start);
        System.arraycopy(buf, start, out, 0, first);
        System.arraycopy(buf, 0, out, first, size - first);
        return new ConsoleSnapshot.History(out, overwritten);
    }

    /** The ring a previous program of this process handed over. */
    static HistoryRing restored(int capacity, ConsoleSnapshot.History h) {
        HistoryRing ring = new HistoryRing(capacity);
        ring.append(h.bytes(), 0, h.bytes().length);
        ring.overwritten |= h.overwritten();
        return ring;
    }

    /** Bytes held now (for tests and the memory budget). */
    int allocated() {
        return buf.length;
    }

    /**
     * What is kept, oldest first. When older output was overwritten the first (partial) line is cut
     * off, so a replay starts at a line start; a single line longer than the ring is kept whole.
     */
    byte[] snapshot() {
        byte[] out = new byte[size];
        int first = Math.min(size, buf.length - start);
        System.arraycopy(buf, start, out, 0, first);
        System.arraycopy(buf, 0, out, first, size - first);
        if (overwritten) {
            for (int i = 0; i < out.length - 1; i++) {
                if (out[i] == '\n') {
                    return Arrays.copyOfRange(out, i + 1, out.length);
                }
            }
        }
        return out;
    }
}
