package dev.manageprocs.posix;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.StringArray;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * execve(2) of this whole process, for the manager's live re-exec: the pid, its children and every fd
 * without FD_CLOEXEC survive; every thread but the caller's ends. Linux, 64-bit only.
 */
public final class Exec {
    private static final NativeLibrary C = NativeLibrary.getInstance("c");
    private static final int SIG_SETMASK = 2;
    /** The kernel's sigset_t is 8 bytes; glibc's is 128: clear glibc's size. */
    private static final int SIGSET_BYTES = 128;

    private Exec() {
    }

    /**
     * Marks exactly the fds in {@code keep} to survive exec and every other open fd of this process to
     * close (the JDK opens many without FD_CLOEXEC). 0, 1 and 2 are left as they are. Throws when a kept
     * fd is not open.
     */
    public static void keepOnly(Set<Integer> keep) throws IOException {
        for (int fd : keep) {
            if (LibC.setCloseOnExec(fd, false) != 0) {
                throw new IOException("fd " + fd + " to keep across exec is not open (" + LibC.lastError() + ")");
            }
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : fds) {
                int fd = Integer.parseInt(p.getFileName().toString());
                if (fd > 2 && !keep.contains(fd)) {
                    LibC.setCloseOnExec(fd, true); // EBADF: the listing's own fd, closed meanwhile
                }
            }
        }
    }

    /**
     * Sets FD_CLOEXEC again on fds {@link #keepOnly} kept: after the exec, in the new program, and after a
     * failed exec, so nothing this process runs later inherits them.
     */
    public static void closeOnExecAgain(Set<Integer> kept) {
        kept.forEach(fd -> LibC.setCloseOnExec(fd, true));
    }

    /**
     * Replaces this process's program. Unblocks every signal of the calling thread first: the new program
     * inherits its mask, and a JVM thread blocks some (SIGQUIT) that the new JVM expects to receive. Returns
     * only on failure, with the reason.
     */
    public static String execve(String path, List<String> argv, List<String> env) {
        Memory empty = new Memory(SIGSET_BYTES);
        empty.clear();
        C.getFunction("pthread_sigmask").invokeInt(new Object[] {SIG_SETMASK, empty, null});
        Function execve = C.getFunction("execve");
        execve.invokeInt(new Object[] {path, new StringArray(argv.toArray(String[]::new)),
                new StringArray(env.toArray(String[]::new))});
        return LibC.lastError();
    }
}
