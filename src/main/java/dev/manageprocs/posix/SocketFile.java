package dev.manageprocs.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The file of a listening unix socket (the control socket, a console socket): what to do with one found in the way
 * before binding, and removing it afterwards only if it is still ours. A crash leaves the file behind with nobody
 * listening; that one may go. A live socket, or a file that is not a socket, is never touched.
 */
public final class SocketFile {
    /** What was at the path before binding. */
    public enum Found {
        /** Nothing: the path is free. */
        NOTHING,
        /** A socket nobody listens on (left by a crash): it has been removed. */
        STALE_REMOVED,
        /** A socket nobody listens on, left in place ({@link #inspect} only). */
        STALE,
        /** A socket some process accepts on: left alone. */
        LIVE,
        /** Not a socket: left alone. */
        NOT_A_SOCKET
    }

    private SocketFile() {
    }

    /** Clears the way for a bind on path: removes a stale socket file, reports what else is there. */
    public static Found clearStale(Path path) throws IOException {
        Found found = inspect(path);
        if (found != Found.STALE) {
            return found;
        }
        Files.delete(path);
        return Found.STALE_REMOVED;
    }

    /** What is at path, touching nothing: for a socket bound elsewhere and renamed over a stale one. */
    public static Found inspect(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return Found.NOTHING;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0170000) != 0140000) {
            return Found.NOT_A_SOCKET;
        }
        return someoneListens(path) ? Found.LIVE : Found.STALE;
    }

    /** The file's identity (device and inode), to tell later whether it is still the one we bound; null if gone. */
    public static Object identity(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Removes the file if it is still the one whose {@link #identity} was taken (another process may have replaced it). */
    public static void removeIfStill(Path path, Object identity) throws IOException {
        if (identity != null && Objects.equals(identity(path), identity)) {
            Files.deleteIfExists(path);
        }
    }

    /** Permission bits (0660) as the set java.nio.file wants. */
    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ … OTHERS_EXECUTE = 0400 … 0001
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private static boolean someoneListens(Path path) {
        Sockets.Address addr = Sockets.unixPath(path.toString()).orElseThrow();
        int probe = Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0);
        if (probe < 0) {
            return false;
        }
        try {
            // connected, or EAGAIN (backlog full): alive; ECONNREFUSED: nobody accepts on it any more
            return Sockets.connect(probe, addr.memory(), addr.length()) == 0 || LibC.errno() == LibC.EAGAIN;
        } finally {
            LibC.close(probe);
        }
    }
}
