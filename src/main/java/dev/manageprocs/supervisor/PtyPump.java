package dev.manageprocs.supervisor;

import dev.manageprocs.posix.Epoll;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.reactor.LoopBuffers;
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
    /**
     * The most one exit drains. What an exited child wrote is far less (the kernel buffers a few
     * hundred KiB per terminal); the bound is for a stray process outside the child's process group
     * that still holds the terminal and writes on, which must not hold the loop for ever.
     */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final Reactor reactor;
    private final LoopBuffers buffers;
    private final int masterFd;
    private final ConsoleOutput output;
    private final InputQueue input;
    private boolean watched;

    PtyPump(Reactor reactor, int masterFd, ConsoleOutput output, String unitName) {
        this.reactor = reactor;
        this.buffers = reactor.buffers();
        this.masterFd = masterFd;
        this.output = output;
        this.input = new InputQueue(buffers, masterFd, unitName);
        reactor.register(masterFd, Epoll.EPOLLIN, this::ready);
        watched = true;
    }

    /**
     * The pump of a child handed over by a live re-exec: its queued input goes first, and a master that
     * had hung up stays unwatched.
     */
    static PtyPump adopt(Reactor reactor, int masterFd, ConsoleOutput output, String unitName,
            SupervisorSnapshot.Pty pty) {
        PtyPump pump = new PtyPump(reactor, masterFd, output, unitName);
        pump.input.restore(pty.pendingInput(), pty.inputDropping());
        if (!pty.watched()) {
            pump.close();
        } else if (pty.pendingInput().length > 0) {
            reactor.modify(masterFd, Epoll.EPOLLIN | Epoll.EPOLLOUT);
        }
        return pump;
    }

    /** What a live re-exec hands over: input not yet written, and whether the master is still watched. */
    SupervisorSnapshot.Pty snapshot() {
        return new SupervisorSnapshot.Pty(input.pending(), input.dropping(), watched);
    }

    /** Console input for the child: written now as far as its terminal takes it, the rest queued. */
    void input(byte[] buf, int off, int len) {
        if (len > 0 && input.offer(buf, off, len) && watched) {
            reactor.modify(masterFd, Epoll.EPOLLIN | Epoll.EPOLLOUT);
        }
    }

    /**
     * Reads everything the terminal still holds, until it is empty (EAGAIN) or closed (EIO): the last
     * words of a child that exited (an assertion, a segfault message) are what an operator needs, and
     * the exit line must come after them. A short read does not mean empty: a pty master hands out
     * about 4 KiB per read whatever is waiting.
     */
    void drain() {
        long drained = 0;
        while (watched && drained < DRAIN_LIMIT) {
            long n = readOnce();
            if (n <= 0) {
                return;
            }
            drained += n;
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
            // a short read usually means empty for now; epoll is level-triggered and says if not
            for (int i = 0; i < READS_PER_TURN && watched; i++) {
                if (readOnce() < LoopBuffers.PTY_SIZE) {
                    break;
                }
            }
        }
    }

    /**
     * Reads one chunk and hands it on; returns its size, 0 when nothing is there now (EAGAIN), -1 at
     * EOF/EIO, where it stops watching the master.
     */
    private long readOnce() {
        long n = LibC.read(masterFd, buffers.ptyNative, LoopBuffers.PTY_SIZE);
        if (n > 0) {
            buffers.ptyNative.read(0, buffers.ptyHeap, 0, (int) n);
            output.childOutput(buffers.ptyHeap, 0, (int) n);
            return n;
        }
        int err = n < 0 ? LibC.errno() : 0;
        if (n < 0 && (err == LibC.EAGAIN || err == LibC.EINTR)) {
            return 0;
        }
        // EIO: every holder of the slave closed it. Stop watching (a hung-up master stays readable
        // forever); the pidfd tells when the child is gone.
        close();
        return -1;
    }
}
