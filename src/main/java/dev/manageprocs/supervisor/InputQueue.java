package dev.manageprocs.supervisor;

import dev.manageprocs.posix.LibC;
import dev.manageprocs.reactor.LoopBuffers;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Console input on its way to one child's terminal. Written straight to the PTY master while the
 * child keeps up; what the master does not take now waits here, in order, and is written when the
 * master becomes writable again. A child that does not read its terminal must not make the manager
 * grow, so beyond {@link #LIMIT} waiting bytes further input is dropped, with a warning, until the
 * queue has drained (a hole in the middle of the stream would be worse than a cut). Loop thread only.
 */
final class InputQueue {
    private static final Logger log = LoggerFactory.getLogger(InputQueue.class);
    /** Console input the child has not taken yet; beyond this, input is dropped (the child is not reading). */
    private static final int LIMIT = 64 * 1024;

    private final LoopBuffers buffers;
    private final int masterFd;
    private final String unitName;
    private byte[] pending;
    private int pendingLen;
    /**
     * Set once input was dropped, until the queue has drained: input is then dropped whole, so the
     * child never gets a stream with a hole in it (a later chunk after a dropped one).
     */
    private boolean dropping;

    InputQueue(LoopBuffers buffers, int masterFd, String unitName) {
        this.buffers = buffers;
        this.masterFd = masterFd;
        this.unitName = unitName;
    }

    /**
     * Writes what the master takes now and queues the rest; earlier input still waiting goes first.
     * Returns true when bytes wait (the caller then watches the master for writability).
     */
    boolean offer(byte[] buf, int off, int len) {
        if (pendingLen == 0) {
            int written = write(buf, off, len);
            off += written;
            len -= written;
            if (len == 0) {
                return false;
            }
        }
        queue(buf, off, len);
        return true;
    }

    /** Writes waiting bytes as far as the master takes them; true while some still wait. */
    boolean flush() {
        if (pendingLen == 0) {
            return false;
        }
        int written = write(pending, 0, pendingLen);
        System.arraycopy(pending, written, pending, 0, pendingLen - written);
        pendingLen -= written;
        if (pendingLen == 0) {
            dropping = false;
        }
        return pendingLen > 0;
    }

    /** What waits, for a live re-exec to hand over (empty when nothing does). */
    byte[] pending() {
        return pending == null ? new byte[0] : Arrays.copyOf(pending, pendingLen);
    }

    boolean dropping() {
        return dropping;
    }

    /** Takes over what a previous program of this process had queued, in order. */
    void restore(byte[] waiting, boolean wasDropping) {
        pendingLen = 0;
        if (waiting.length > 0) {
            pending = new byte[LIMIT];
            System.arraycopy(waiting, 0, pending, 0, Math.min(waiting.length, LIMIT));
            pendingLen = Math.min(waiting.length, LIMIT);
        }
        dropping = wasDropping;
    }

    private void queue(byte[] buf, int off, int len) {
        if (pending == null) {
            pending = new byte[LIMIT];
        }
        int room = dropping ? 0 : LIMIT - pendingLen;
        if (len > room) {
            dropping = true;
            log.warn("{}: the child is not reading its terminal; {} bytes of console input dropped",
                    unitName, len - room);
            len = room;
        }
        System.arraycopy(buf, off, pending, pendingLen, len);
        pendingLen += len;
    }

    private int write(byte[] buf, int off, int len) {
        int total = 0;
        while (total < len) {
            int chunk = Math.min(len - total, LoopBuffers.PTY_SIZE);
            buffers.ptyNative.write(0, buf, off + total, chunk);
            long n = LibC.write(masterFd, buffers.ptyNative, chunk);
            if (n <= 0) {
                break;
            }
            total += (int) n;
        }
        return total;
    }
}
