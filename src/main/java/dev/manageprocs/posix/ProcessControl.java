package dev.manageprocs.posix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** Signalling, watching and reaping child processes: kill(2), pidfd_open(2), waitid(2). */
public final class ProcessControl {
    static {
        Native.register(ProcessControl.class, NativeLibrary.getInstance("c"));
    }

    /** pidfd_open has no glibc wrapper in 2.36; its number is the same on x86_64 and aarch64. */
    public static final long SYS_PIDFD_OPEN = 434;

    public static final int P_PID = 1;
    public static final int P_PIDFD = 3;
    public static final int WNOHANG = 1;
    public static final int WEXITED = 4;

    /** siginfo_t si_code values for SIGCHLD. */
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;

    // siginfo_t layout on 64-bit Linux: si_signo, si_errno, si_code, padding, then si_pid, si_uid, si_status.
    public static final int SIGINFO_SIZE = 128;
    public static final int SI_CODE = 8;
    public static final int SI_PID = 16;
    public static final int SI_STATUS = 24;

    private ProcessControl() {
    }

    public static native int kill(int pid, int sig);

    public static native int waitid(int idtype, int id, Pointer infop, int options);

    /** syscall(2) is variadic; integer arguments are passed like fixed ones on x86_64 and aarch64. */
    private static native long syscall(long number, int arg1, int arg2);

    /** A pidfd (always close-on-exec) for pid, or -1 with errno set. */
    public static int pidfd_open(int pid) {
        return (int) syscall(SYS_PIDFD_OPEN, pid, 0);
    }

    public static Memory siginfo() {
        Memory m = new Memory(SIGINFO_SIZE);
        m.clear();
        return m;
    }
}
