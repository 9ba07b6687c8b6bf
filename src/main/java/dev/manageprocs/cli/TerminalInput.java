package dev.manageprocs.cli;

import com.sun.jna.Memory;
import dev.manageprocs.posix.Epoll;
import dev.manageprocs.posix.LibC;

/**
 * Keys from the terminal on stdin that stop being taken the moment the session ends. A thread blocked in
 * read(2) would still swallow what the operator types right after detaching (their next shell command);
 * waiting in epoll on stdin and an eventfd instead lets {@link #close()} wake it without reading.
 */
final class TerminalInput implements AutoCloseable {
    private static final int STDIN = 0;
    private static final long WAKE = 1;

    private final int epoll;
    private final int wake;
    private final Memory events = Epoll.events(2);
    private final Memory buf = new Memory(4096);
    private volatile boolean closed;

    TerminalInput() {
        epoll = Epoll.epoll_create1(Epoll.EPOLL_CLOEXEC);
        wake = Epoll.eventfd(0, Epoll.EFD_CLOEXEC | Epoll.EFD_NONBLOCK);
        Memory ev = Epoll.events(1);
        Epoll.setEvent(ev, 0, Epoll.EPOLLIN, STDIN);
        Epoll.epoll_ctl(epoll, Epoll.EPOLL_CTL_ADD, STDIN, ev);
        Epoll.setEvent(ev, 0, Epoll.EPOLLIN, WAKE);
        Epoll.epoll_ctl(epoll, Epoll.EPOLL_CTL_ADD, wake, ev);
    }

    /** The next keys into {@code into} (at most 4096); -1 once closed, or when the terminal has gone. */
    int read(byte[] into) {
        while (!closed) {
            int n = Epoll.epoll_wait(epoll, events, 2, -1);
            if (n < 0 && LibC.errno() == LibC.EINTR || n == 0) {
                continue; // a signal (SIGWINCH) interrupted the wait
            }
            if (n < 0 || closed) {
                return -1;
            }
            long got = LibC.read(STDIN, buf, Math.min(into.length, buf.size()));
            if (got < 0 && (LibC.errno() == LibC.EINTR || LibC.errno() == LibC.EAGAIN)) {
                continue;
            }
            if (got <= 0) {
                return -1; // hung up
            }
            buf.read(0, into, 0, (int) got);
            return (int) got;
        }
        return -1;
    }

    /** True once the session has closed this input (not when the terminal went away). */
    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        Memory one = new Memory(8);
        one.setLong(0, 1);
        LibC.write(wake, one, 8);
    }
}
