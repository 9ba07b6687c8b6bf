package dev.manageprocs.console;

import com.sun.jna.Pointer;

/**
 * The bytes a client's socket has not taken yet: a circular buffer that grows on demand up to a hard
 * limit and is freed whenever it drains, so a client that keeps up costs no buffer at all.
 */
final class SendQueue {
    private static final int MIN_CAPACITY = 4096;

    private final int limit;
    private byte[] buf;
    private int head;
    private int size;

    SendQueue(int limit) {
        this.limit = limit;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Bytes of memory held right now. */
    int capacity() {
        return buf == null ? 0 : buf.length;
    }

    /** Queues all of b[off, off+len), or nothing (false) when that would pass the limit. */
    boolean offer(byte[] b, int off, int len) {
        if (size + len > limit) {
            return false;
        }
        ensure(size + len);
        int tail = (head + size) % buf.length;
        int first = Math.min(len, buf.length - tail);
        System.arraycopy(b, off, buf, tail, first);
        System.arraycopy(b, off + first, buf, 0, len - first);
        size += len;
        return true;
    }

    /** Copies up to max bytes from the head into dst without consuming them; returns the count. */
    int peek(Pointer dst, int max) {
        int n = Math.min(Math.min(max, size), buf.length - head);
        dst.write(0, buf, head, n);
        return n;
    }

    /** Every byte waiting, in order, without consuming them (for a live re-exec). */
    byte[] contents() {
        byte[] out = new byte[size];
        if (size > 0) {
            int first = Math.min(size, buf.length - head);
            System.arraycopy(buf, head, out, 0, first);
            System.arraycopy(buf, 0, out, first, size - first);
        }
        return out;
    }

    void consume(int n) {
        head = (head + n) % buf.length;
        size -= n;
        if (size == 0) {
            buf = null;
            head = 0;
        }
    }

    private void ensure(int needed) {
        if (buf != null && buf.length >= needed) {
            return;
        }
        int cap = buf == null ? MIN_CAPACITY : buf.length;
        while (cap < needed) {
            cap *= 2;
        }
        cap = Math.min(cap, Math.max(limit, MIN_CAPACITY));
        byte[] grown = new byte[cap];
        if (buf != null) {
            int first = Math.min(size, buf.length - head);
            System.arraycopy(buf, head, grown, 0, first);
            System.arraycopy(buf, 0, grown, first, size - first);
        }
        buf = grown;
        head = 0;
    }
}
