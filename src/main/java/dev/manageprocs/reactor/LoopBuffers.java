package dev.manageprocs.reactor;

import com.sun.jna.Memory;

/**
 * Native and heap buffers shared by everything on one event loop: the loop runs one handler at a
 * time, so one set serves a thousand units with their console clients (a set per unit would cost
 * hundreds of KiB each). Each use has its own buffer because one handler's work can reach another
 * before it returns: a PTY read is fanned out to clients (socket writes, telnet escaping) while the
 * PTY buffer still holds it, and client input goes to a PTY while the socket read buffer holds it.
 * Loop thread only.
 */
public final class LoopBuffers {
    /** PTY reads, and console input written to a PTY. */
    public static final int PTY_SIZE = 64 * 1024;
    public static final int SOCKET_READ_SIZE = 16 * 1024;
    public static final int SOCKET_WRITE_SIZE = 64 * 1024;

    public final Memory ptyNative = new Memory(PTY_SIZE);
    public final byte[] ptyHeap = new byte[PTY_SIZE];
    public final Memory socketReadNative = new Memory(SOCKET_READ_SIZE);
    public final byte[] socketRead = new byte[SOCKET_READ_SIZE];
    public final Memory socketWriteNative = new Memory(SOCKET_WRITE_SIZE);
    private byte[] escape = new byte[2 * SOCKET_READ_SIZE];

    LoopBuffers() {
    }

    /** A buffer for telnet-escaping len bytes of output (escaping at most doubles it). */
    public byte[] escapeBuffer(int len) {
        if (escape.length < 2 * len) {
            escape = new byte[2 * len];
        }
        return escape;
    }
}
