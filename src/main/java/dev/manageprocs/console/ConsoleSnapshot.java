package dev.manageprocs.console;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One unit's console as a value a live re-exec hands to the next program of this process, which
 * continues it ({@link ConsoleHub#resume}): the listening sockets and the clients' connections stay open
 * across the exec, the history and the bytes a client has not taken yet come along.
 *
 * @param listeners control listeners first, then read-only ones, each in the unit file's order
 * @param clients   the console connections; attach sessions are not among them (they reconnect)
 */
public record ConsoleSnapshot(List<Bound> listeners, Optional<History> history, boolean atLineStart,
        List<Connection> clients) {

    public ConsoleSnapshot {
        listeners = List.copyOf(listeners);
        clients = List.copyOf(clients);
    }

    /** A listening socket; {@code socketFile} is the unix socket file it removes when it closes. */
    public record Bound(boolean readOnly, int fd, String address, boolean unix, Optional<Path> socketFile) {
    }

    /** The history ring's bytes, oldest first, and whether older output was overwritten. */
    public record History(byte[] bytes, boolean overwritten) {
    }

    /**
     * A client: who it is (as admitted), its unsent output, and how many bytes it has missed since its
     * queue last drained (it is told once it catches up).
     */
    public record Connection(int fd, String who, boolean readOnly, byte[] queued, long dropped) {
    }
}
