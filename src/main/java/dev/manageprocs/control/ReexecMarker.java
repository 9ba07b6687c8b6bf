package dev.manageprocs.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * The file beside the control socket ({@code control.reexec}) that says a live re-exec of the manager is
 * under way: the manager writes it, holding its pid, before it stops accepting on the control socket, and
 * the re-executed manager removes it once it accepts again. A client that finds the socket refused or
 * missing while this file names a live process waits for the socket instead of failing; a file left by a
 * manager that died mid-way names a dead pid and is ignored.
 */
public final class ReexecMarker {
    private ReexecMarker() {
    }

    public static Path of(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".reexec");
    }

    /** Writes the marker atomically (a reader never sees half a pid). */
    public static void write(Path socket, long pid) throws IOException {
        Path marker = of(socket);
        Path tmp = marker.resolveSibling(marker.getFileName() + ".tmp");
        Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static void remove(Path socket) {
        try {
            Files.deleteIfExists(of(socket));
        } catch (IOException e) {
            // a marker that cannot be removed names this live manager: clients only wait a little longer
        }
    }

    /** The pid in the marker, when there is one and that process still exists. */
    public static OptionalLong underWay(Path socket) {
        try {
            long pid = Long.parseLong(Files.readString(of(socket), StandardCharsets.US_ASCII).strip());
            return Files.exists(Path.of("/proc", Long.toString(pid))) ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
