package dev.manageprocs.supervisor;

import com.sun.jna.Memory;

/**
 * Native and heap buffers shared by every supervisor on one event loop: the loop runs one handler at
 * a time, so one pair serves a thousand units (a pair per unit would cost 128 KiB each).
 */
public final class LoopBuffers {
    public static final int SIZE = 64 * 1024;
    final Memory nativeBuf = new Memory(SIZE);
    final byte[] heapBuf = new byte[SIZE];
}
