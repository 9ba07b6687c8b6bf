package dev.manageprocs.manager;

import com.sun.jna.Memory;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.Sockets;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) for a Type=notify service: one datagram per state change to the unix socket named by
 * NOTIFY_SOCKET (a path, or "@name" for the abstract namespace). Without NOTIFY_SOCKET (run by hand,
 * in tests, under another init) every call does nothing.
 */
public final class SystemdNotifier {
    static final String VARIABLE = "NOTIFY_SOCKET";
    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);

    private final String socketName;
    private final Optional<Sockets.Address> address;

    private SystemdNotifier(String socketName, Optional<Sockets.Address> address) {
        this.socketName = socketName;
        this.address = address;
    }

    /** The notifier for NOTIFY_SOCKET in {@code env}; a socket it cannot use is reported once, here. */
    public static SystemdNotifier from(Map<String, String> env) {
        String name = env.getOrDefault(VARIABLE, "");
        if (name.isEmpty()) {
            return new SystemdNotifier("", Optional.empty());
        }
        Optional<Sockets.Address> address = name.startsWith("@") ? Sockets.unixAbstract(name.substring(1))
                : name.startsWith("/") ? Sockets.unixPath(name) : Optional.empty();
        if (address.isEmpty()) {
            log.warn("{}={} is not a unix socket path or @name this manager can use; systemd is not told "
                    + "when the manager is ready (use Type=simple for this service)", VARIABLE, name);
        }
        return new SystemdNotifier(name, address);
    }

    /**
     * The environment children inherit: the manager's without NOTIFY_SOCKET, so that a child that speaks
     * sd_notify itself is not mistaken for the manager (systemd would log it as a refused sender).
     */
    public static Map<String, String> forChildren(Map<String, String> env) {
        if (!env.containsKey(VARIABLE)) {
            return env;
        }
        Map<String, String> copy = new HashMap<>(env);
        copy.remove(VARIABLE);
        return Map.copyOf(copy);
    }

    /** The autostart units are started: the service is up; {@code status} shows in systemctl status. */
    public void ready(String status) {
        send("READY=1\nSTATUS=" + status);
    }

    /** SIGHUP: re-reading unit files; systemd expects READY=1 again once done. */
    public void reloading() {
        // MONOTONIC_USEC lets systemd tell this reload from an older one; System.nanoTime is CLOCK_MONOTONIC
        send("RELOADING=1\nSTATUS=reloading unit files\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
    }

    /**
     * A live re-exec: the same process (still MainPID) runs new code; READY=1 follows once it has adopted
     * every unit. Like a reload to systemd, which then waits for READY=1 again.
     */
    public void reexecuting() {
        send("RELOADING=1\nSTATUS=re-executing the manager; every unit keeps running\nMONOTONIC_USEC="
                + System.nanoTime() / 1000);
    }

    /** Shutdown has begun: every unit is being stopped. */
    public void stopping() {
        send("STOPPING=1\nSTATUS=stopping every unit");
    }

    private void send(String message) {
        if (address.isEmpty()) {
            return;
        }
        int fd = Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            log.warn("cannot open a socket to notify systemd: {}", LibC.lastError());
            return;
        }
        try {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            Memory buf = new Memory(bytes.length);
            buf.write(0, bytes, 0, bytes.length);
            Sockets.Address a = address.get();
            if (Sockets.sendto(fd, buf, bytes.length, Sockets.MSG_NOSIGNAL, a.memory(), a.length()) < 0) {
                log.warn("cannot notify systemd at {}: {}", socketName, LibC.lastError());
            }
        } finally {
            LibC.close(fd);
        }
    }
}
