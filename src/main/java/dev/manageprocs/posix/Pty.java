package dev.manageprocs.posix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** Pseudo-terminal masters (pty(7)) and their window size. */
public final class Pty {
    static {
        Native.register(Pty.class, NativeLibrary.getInstance("c"));
    }

    public static final long TIOCGWINSZ = 0x5413;
    public static final long TIOCSWINSZ = 0x5414;
    /** struct winsize: four unsigned shorts (rows, cols, xpixel, ypixel). */
    private static final int WINSIZE_SIZE = 8;

    private Pty() {
    }

    public static native int posix_openpt(int flags);

    public static native int grantpt(int fd);

    public static native int unlockpt(int fd);

    public static native int ptsname_r(int fd, byte[] buf, long buflen);

    /** ioctl(2) is variadic; every request used here takes one pointer, which the ABI passes like a fixed argument. */
    public static native int ioctl(int fd, long request, Pointer arg);

    /** TIOCSWINSZ: 0 on success, -1 with errno set. */
    public static int setWindowSize(int fd, int rows, int cols) {
        Memory ws = new Memory(WINSIZE_SIZE);
        ws.clear();
        ws.setShort(0, (short) rows);
        ws.setShort(2, (short) cols);
        return ioctl(fd, TIOCSWINSZ, ws);
    }

    /** TIOCGWINSZ: {rows, cols}, or null with errno set. */
    public static int[] windowSize(int fd) {
        Memory ws = new Memory(WINSIZE_SIZE);
        if (ioctl(fd, TIOCGWINSZ, ws) != 0) {
            return null;
        }
        return new int[] {Short.toUnsignedInt(ws.getShort(0)), Short.toUnsignedInt(ws.getShort(2))};
    }
}
