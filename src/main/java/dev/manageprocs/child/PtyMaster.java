package dev.manageprocs.child;

import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.Pty;
import java.nio.charset.StandardCharsets;

/** A freshly allocated pty master (non-blocking, close-on-exec) and the path of its slave. */
record PtyMaster(int fd, String slavePath) {

    /** The master only: the parent never opens the slave, so the master sees EIO/HUP once the child side closes. */
    static PtyMaster open(int rows, int cols) throws SpawnException {
        // glibc's posix_openpt is open("/dev/ptmx", flags), so O_NONBLOCK and O_CLOEXEC apply from the start.
        int fd = Pty.posix_openpt(LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
        if (fd < 0) {
            throw new SpawnException("cannot allocate a pseudo-terminal: " + LibC.lastError()
                    + "; close unused terminals or raise /proc/sys/kernel/pty/max");
        }
        byte[] name = new byte[128];
        String failed = Pty.grantpt(fd) != 0 ? "grantpt"
                : Pty.unlockpt(fd) != 0 ? "unlockpt"
                : Pty.setWindowSize(fd, rows, cols) != 0 ? "TIOCSWINSZ"
                : Pty.ptsname_r(fd, name, name.length) != 0 ? "ptsname_r" : null;
        if (failed != null) {
            String error = LibC.lastError();
            LibC.close(fd);
            throw new SpawnException("cannot set up a new pseudo-terminal (" + failed + "): " + error);
        }
        int len = 0;
        while (name[len] != 0) {
            len++;
        }
        return new PtyMaster(fd, new String(name, 0, len, StandardCharsets.UTF_8));
    }
}
