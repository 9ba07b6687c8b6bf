package dev.manageprocs.sidecar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The files of one unit in {@code <rundir>/<name>/}: {@code pid} and {@code info}. Both are replaced
 * atomically (temp file in the same directory, then rename) so a reader never sees half a file.
 * They are not fsynced: the run directory is a tmpfs that does not survive a reboot anyway.
 */
public final class RunDir {

    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final String PID = "pid";
    private static final String INFO = "info";

    private final Path dir;

    public RunDir(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Writes "1234\n". */
    public void writePid(int pid) throws IOException {
        replace(PID, pid + "\n");
    }

    public void removePid() {
        remove(PID);
    }

    public void writeInfo(InfoFile info) throws IOException {
        replace(INFO, info.render());
    }

    /** Removes pid and info; not the sockets, which the console owns. */
    public void removeSidecars() {
        remove(PID);
        remove(INFO);
    }

    /**
     * The pid a previous manager left in {@code dir}, if the file holds one. Only a hint: check that
     * it is still the same process (its start time) before trusting it.
     */
    public static OptionalInt readPid(Path dir) {
        try {
            int pid = Integer.parseInt(Files.readString(dir.resolve(PID), StandardCharsets.US_ASCII).strip());
            return pid > 0 ? OptionalInt.of(pid) : OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** @throws IOException with a message for the user: which file, why, what to do */
    private void replace(String name, String content) throws IOException {
        Path target = dir.resolve(name);
        Path tmp = null;
        try {
            createDir();
            tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(tmp, FILE_MODE); // explicit: the umask must not decide what readers may see
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IOException("cannot write " + target + " (" + OsReason.of(e) + "); make " + dir
                    + " a directory the manager can write to", e);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Creates the directory 0755 when missing; an existing one keeps the mode its owner gave it. */
    private void createDir() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, DIR_MODE);
        } catch (FileAlreadyExistsException e) {
            // created meanwhile by someone else (or a non-directory, which the temp file then reports)
        }
    }

    private void remove(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            // best effort: a stale pid is harmless because readers check the process start time
        }
    }
}
