package dev.manageprocs.console;

import java.util.Arrays;

/**
 * The last {@code capacity} bytes of a unit's console, replayed to clients on connect. The array is
 * allocated on the first output, so an idle unit costs nothing.
 */
final class HistoryRing {
    private final int capacity;
    private byte[] ring;
    private long total;

    HistoryRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("history capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    void append(byte[] buf, int off, int len) {
        if (ring == null) {
            ring = new byte[capacity];
        }
        if (len > capacity) {
            total += len - capacity;
            off += len - capacity;
            len = capacity;
        }
        int pos = (int) (total % capacity);
        int first = Math.min(len, capacity - pos);
        System.arraycopy(buf, off, ring, pos, first);
        System.arraycopy(buf, off + first, ring, 0, len - first);
        total += len;
    }

    /**
     * What is kept, oldest first. When older output was overwritten the first (partial) line is cut
     * off, so a replay starts at a line start; a single line longer than the ring is kept whole.
     */
    byte[] snapshot() {
        if (ring == null) {
            return new byte[0];
        }
        if (total <= capacity) {
            return Arrays.copyOf(ring, (int) total);
        }
        int pos = (int) (total % capacity);
        byte[] out = new byte[capacity];
        System.arraycopy(ring, pos, out, 0, capacity - pos);
        System.arraycopy(ring, 0, out, capacity - pos, pos);
        for (int i = 0; i < out.length - 1; i++) {
            if (out[i] == '\n') {
                return Arrays.copyOfRange(out, i + 1, out.length);
            }
        }
        return out;
    }
}
