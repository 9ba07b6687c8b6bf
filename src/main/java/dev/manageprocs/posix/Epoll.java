package dev.manageprocs.posix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/** epoll(7) and eventfd(2). */
public final class Epoll {
    static {
        Native.register(Epoll.class, NativeLibrary.getInstance("c"));
    }

    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;

    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;

    /** struct epoll_event is packed on x86_64 (12 bytes), naturally aligned elsewhere (16 bytes). */
    public static final int EVENT_SIZE = Platform.isIntel() ? 12 : 16;
    private static final int DATA_OFFSET = Platform.isIntel() ? 4 : 8;

    private Epoll() {
    }

    public static native int epoll_create1(int flags);

    public static native int epoll_ctl(int epfd, int op, int fd, Pointer event);

    public static native int epoll_wait(int epfd, Pointer events, int maxevents, int timeout);

    public static native int eventfd(int initval, int flags);

    public static Memory events(int count) {
        return new Memory((long) EVENT_SIZE * count);
    }

    public static void setEvent(Pointer p, int index, int events, long data) {
        p.setInt((long) index * EVENT_SIZE, events);
        p.setLong((long) index * EVENT_SIZE + DATA_OFFSET, data);
    }

    public static int eventsAt(Pointer p, int index) {
        return p.getInt((long) index * EVENT_SIZE);
    }

    public static long dataAt(Pointer p, int index) {
        return p.getLong((long) index * EVENT_SIZE + DATA_OFFSET);
    }

    /**
     * Blocks the calling thread until fd is readable (or hung up) or the timeout passes; true when
     * readable. For one-off waits off the event loop (a pidfd at start-up, tests), not for the loop.
     */
    public static boolean awaitReadable(int fd, java.time.Duration timeout) {
        int ep = epoll_create1(EPOLL_CLOEXEC);
        if (ep < 0) {
            throw new IllegalStateException("epoll_create1 failed: " + LibC.lastError());
        }
        try {
            Memory ev = events(1);
            setEvent(ev, 0, EPOLLIN, fd);
            if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, ev) != 0) {
                throw new IllegalStateException("epoll_ctl on fd " + fd + " failed: " + LibC.lastError());
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
                int n = epoll_wait(ep, ev, 1, (int) Math.min(left, Integer.MAX_VALUE));
                if (n > 0) {
                    return true;
                }
                if (n == 0 || LibC.errno() != LibC.EINTR) {
                    return false;
                }
            }
        } finally {
            LibC.close(ep);
        }
    }
}
