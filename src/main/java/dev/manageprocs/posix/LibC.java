package dev.manageprocs.posix;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Optional;

/**
 * File-descriptor basics from libc, direct-mapped (JNA) for speed. Linux, 64-bit only.
 * Other concerns (pty, spawn, sockets, termios) have their own binding classes.
 */
public final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ECHILD = 10;
    public static final int ESRCH = 3;
    public static final int EINVAL = 22;
    public static final int EPIPE = 32;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_NOCTTY = 0x100;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int FD_CLOEXEC = 1;

    private LibC() {
    }

    public static native long read(int fd, Pointer buf, long count);

    public static native long write(int fd, Pointer buf, long count);

    public static native int close(int fd);

    private static native int fcntl(int fd, int cmd, int arg);

    /** Sets O_NONBLOCK on fd; 0, or -1 with errno. */
    public static int setNonBlocking(int fd) {
        int flags = fcntl(fd, F_GETFL, 0);
        return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    }

    /** Sets or clears FD_CLOEXEC on fd; 0, or -1 with errno (EBADF: fd is not open). */
    public static int setCloseOnExec(int fd, boolean on) {
        int flags = fcntl(fd, F_GETFD, 0);
        return flags < 0 ? -1 : fcntl(fd, F_SETFD, on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC);
    }

    /** Whether fd is open and has FD_CLOEXEC; empty when it is not open. */
    public static Optional<Boolean> closeOnExec(int fd) {
        int flags = fcntl(fd, F_GETFD, 0);
        return flags < 0 ? Optional.empty() : Optional.of((flags & FD_CLOEXEC) != 0);
    }

    public static native int getpid();

    public static native int getuid();

    public static native int geteuid();

    public static native int getgid();

    public static native int umask(int mask);

    public static native String strerror(int errnum);

    /** errno of the last native call on this thread. */
    public static int errno() {
        return Native.getLastError();
    }

    /** "No such file or directory (ENOENT)"-style text for the last error. */
    public static String lastError() {
        return strerror(errno());
    }
}
