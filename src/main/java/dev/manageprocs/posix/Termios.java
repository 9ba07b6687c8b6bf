package dev.manageprocs.posix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Terminal modes (termios(3)), e.g. raw mode for an interactive attach. struct termios is kept opaque as
 * Memory: saved with tcgetattr, changed with cfmakeraw, restored byte for byte with tcsetattr.
 */
public final class Termios {
    static {
        Native.register(Termios.class, NativeLibrary.getInstance("c"));
    }

    public static final int TCSANOW = 0;
    public static final int TCSADRAIN = 1;
    public static final int TCSAFLUSH = 2;

    /** glibc's struct termios on Linux: four tcflag_t, c_line, c_cc[32], two speed_t (with padding). */
    public static final int SIZE = 60;
    public static final int C_LFLAG = 12;
    public static final int ICANON = 0x2;
    public static final int ECHO = 0x8;

    private Termios() {
    }

    public static native int tcgetattr(int fd, Pointer termios);

    public static native int tcsetattr(int fd, int optionalActions, Pointer termios);

    public static native void cfmakeraw(Pointer termios);

    public static Memory struct() {
        return new Memory(SIZE);
    }
}
