package dev.manageprocs.manager;

import com.sun.jna.Memory;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.Sockets;
import dev.manageprocs.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The receiving end systemd would hold: a bound AF_UNIX datagram socket, read without blocking. */
final class NotifySocket implements AutoCloseable {
    private final int fd;
    private final Memory buf = new Memory(4096);
    private final List<String> received = new ArrayList<>();

    /** {@code name} as NOTIFY_SOCKET spells it: a path, or "@name" for the abstract namespace. */
    NotifySocket(String name) {
        fd = Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_DGRAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IllegalStateException("socket: " + LibC.lastError());
        }
        Sockets.Address a = (name.startsWith("@") ? Sockets.unixAbstract(name.substring(1)) : Sockets.unixPath(name))
                .orElseThrow();
        if (Sockets.bind(fd, a.memory(), a.length()) != 0) {
            throw new IllegalStateException("bind " + name + ": " + LibC.lastError());
        }
    }

    /** Every datagram so far, in order. */
    List<String> messages() {
        long n;
        while ((n = Sockets.recv(fd, buf, buf.size(), 0)) >= 0) {
            received.add(new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8));
        }
        return List.copyOf(received);
    }

    /** Waits until a datagram containing {@code line} (one whole line of it) has arrived; returns it. */
    String await(String line, Duration timeout) {
        Eventually.until(timeout, () -> find(line) != null, () -> "a notification with " + line + ", got " + messages());
        return find(line);
    }

    private String find(String line) {
        return messages().stream().filter(m -> m.lines().anyMatch(line::equals)).findFirst().orElse(null);
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
