package dev.manageprocs.console;

import com.sun.jna.Memory;

/**
 * Native and Java buffers shared by every console on one event-loop thread, so a thousand units with
 * a few clients each do not each hold their own. Input and output use separate buffers because a
 * target may echo (call output) while the hub is still handling the input that caused it.
 */
final class IoBuffers {
    static final int READ_SIZE = 16 * 1024;
    static final int WRITE_SIZE = 64 * 1024;

    private static final ThreadLocal<IoBuffers> PER_THREAD = ThreadLocal.withInitial(IoBuffers::new);

    final Memory readNative = new Memory(READ_SIZE);
    final byte[] read = new byte[READ_SIZE];
    final Memory writeNative = new Memory(WRITE_SIZE);
    private byte[] escape = new byte[2 * READ_SIZE];

    static IoBuffers get() {
        return PER_THREAD.get();
    }

    /** A buffer for escaping output of len bytes (escaping at most doubles it). */
    byte[] escapeBuffer(int len) {
        if (escape.length < 2 * len) {
            escape = new byte[2 * len];
        }
        return escape;
    }
}
