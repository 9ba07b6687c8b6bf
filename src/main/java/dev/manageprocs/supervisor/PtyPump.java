package dev.manageprocs.supervisor;

import dev.manageprocs.posix.Epoll;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.reactor.Reactor;

/**
 * One child's PTY master on the event loop: reads what the child writes and hands it to the unit's
 * {@link ConsoleOutput}, and feeds the child console input through an {@link InputQueue}. Watches the
 * master from construction until {@link #close} (or until the terminal hangs up); lives as long as
 * the child. Loop thread only.
 */
final class PtyPump {
    /** Reads per readiness event: bounds one flooding child's turn so the other units keep theirs. */
    private static final int READS_PER_TURN = 4;

    private final Reactor reactor;
    private final LoopBuffers buffers;
    private final int masterFd;
    private final ConsoleOutput output;
    private final InputQueue input;
    private boolean watched;

    PtyPump(Reactor reactor, LoopBuffers buffers, int masterFd, ConsoleOutput output, String unitName) {
        this.reactor = reactor;
        this.buffers = buffers;
        this.masterFd = masterFd;
        this.output = output;
        this.input = new InputQueue(buffers, masterFd, unitName);
        reactor.register(masterFd, Epoll.EPOLLIN, this::ready);
        watched = true;
    }

    /** Console input for the child: written now as far as its terminal takes it, the rest queued. */
    void input(byte[] buf, int off, int len) {
        if (len > 0 && input.offer(buf, off, len) && watched) {
            reactor.modify(masterFd, Epoll.EPOLLIN | Epoll.EPOLLOUT);
        }
    }

    /** Reads everything the terminal still holds: output written just before the child exited is not lost. */
    void drain() {
        while (watched && readOnce()) {
            // keep reading until the pty is empty
        }
        if (watched) {
            readOnce();
        }
    }

    /** Stops watching the master (before the child's fds are closed); input still queued is never written. */
    void close() {
        if (watched) {
            reactor.unregister(masterFd);
            watched = false;
        }
    }

    private void ready(int events) {
        if ((events & Epoll.EPOLLOUT) != 0 && !input.flush() && watched) {
            reactor.modify(masterFd, Epoll.EPOLLIN);
        }
        if ((events & (Epoll.EPOLLIN | Epoll.EPOLLHUP | Epoll.EPOLLERR)) != 0) {
            for (int i = 0; i < READS_PER_TURN && watched; i++) {
                if (!readOnce()) {
                    break;
                }
            }
        }
    }

    /** Reads one chunk; false when nothing more is there now. Stops watching the master at EOF/EIO. */
    private boolean readOnce() {
        long n = LibC.read(masterFd, buffers.nativeBuf, LoopBuffers.SIZE);
        if (n > 0) {
            buffers.nativeBuf.read(0, buffers.heapBuf, 0, (int) n);
            output.childOutput(buffers.heapBuf, 0, (int) n);
            return n == LoopBuffers.SIZE;
        }
        int err = n < 0 ? LibC.errno() : 0;
        if (n < 0 && (err == LibC.EAGAIN || err == LibC.EINTR)) {
            return false;
        }
        // EIO: every holder of the slave closed it. Stop watching (a hung-up master stays readable
        // forever); the pidfd tells when the child is gone.
        close();
        return false;
    }
}
