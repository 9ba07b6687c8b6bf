package dev.manageprocs.posix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** Resource limits (prlimit(2)); struct rlimit is two unsigned 64-bit values, soft then hard. */
public final class Rlimit {
    static {
        Native.register(Rlimit.class, NativeLibrary.getInstance("c"));
    }

    public static final int RLIMIT_CORE = 4;
    /** RLIM_INFINITY is ~0UL, i.e. -1 as a Java long. */
    public static final long RLIM_INFINITY = -1L;

    private Rlimit() {
    }

    /** pid 0 = this process; either limit pointer may be null. 0 on success, -1 with errno set. */
    public static native int prlimit(int pid, int resource, Pointer newLimit, Pointer oldLimit);

    public static Memory limit(long soft, long hard) {
        Memory m = new Memory(16);
        m.setLong(0, soft);
        m.setLong(8, hard);
        return m;
    }

    public static long soft(Pointer limit) {
        return limit.getLong(0);
    }

    public static long hard(Pointer limit) {
        return limit.getLong(8);
    }
}
