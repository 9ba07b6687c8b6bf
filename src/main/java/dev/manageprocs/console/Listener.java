package dev.manageprocs.console;

import com.sun.jna.Memory;
import dev.manageprocs.access.Audit;
import dev.manageprocs.posix.Epoll;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.SocketFile;
import dev.manageprocs.posix.Sockets;
import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.supervisor.Announcements;
import dev.manageprocs.unit.Endpoint;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket of a unit's console, non-blocking on the event loop. Unix sockets get their
 * owner, group and mode between bind and listen, so nobody can connect before the permissions are
 * right; a socket file left by a crash is replaced (only when it is a socket nobody listens on), and
 * the file is removed on close only if it is still the one this listener created. TCP sockets set
 * SO_REUSEADDR so a port freed by a restart is bindable again at once.
 */
public final class Listener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    private static final int BACKLOG = 128;
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final Duration FD_EXHAUSTED_PAUSE = Duration.ofSeconds(1);

    /** A new connection: a non-blocking fd (now owned by the callee) and who is on the other end. */
    @FunctionalInterface
    public interface Acceptor {
        void accepted(int fd, String who);
    }

    private final Reactor reactor;
    private final int fd;
    private final String address;
    private final boolean unix;
    private final Path socketFile;
    private final Object socketFileKey;
    private final String unitName;
    private final ConsoleAccess.Gate gate;
    private final Acceptor acceptor;
    private final Memory peer = Sockets.addressBuffer();
    private final Memory peerLen = Sockets.lengthOf(0);
    private boolean closed;

    /** Where a listener is and who it admits, for the constructor. */
    private record Binding(String unitName, ConsoleAccess.Gate gate, Acceptor acceptor) {
    }

    private Listener(Reactor reactor, int fd, String address, boolean unix, Path socketFile, Object socketFileKey,
            Binding binding) {
        this.reactor = reactor;
        this.fd = fd;
        this.address = address;
        this.unix = unix;
        this.socketFile = socketFile;
        this.socketFileKey = socketFileKey;
        this.unitName = binding.unitName();
        this.gate = binding.gate();
        this.acceptor = binding.acceptor();
        reactor.register(fd, Epoll.EPOLLIN, ev -> acceptAll());
    }

    /**
     * Binds and listens on endpoint (loop thread only). {@code defaultPath} is where "unix:default"
     * goes; {@code gate} decides who may stay (TCP) and names them. Throws an IOException whose message is one
     * sentence for the user when it cannot.
     */
    static Listener open(Reactor reactor, Endpoint endpoint, Path defaultPath, SocketDefaults defaults,
            boolean allowRemote, String unitName, ConsoleAccess.Gate gate, Acceptor acceptor) throws IOException {
        Binding b = new Binding(unitName, gate, acceptor);
        return switch (endpoint) {
            case Endpoint.UnixDefault d -> openUnixPath(reactor, defaultPath, Optional.empty(), defaults.group(),
                    defaults.mode(), true, b);
            case Endpoint.UnixPath p -> openUnixPath(reactor, p.path(), p.owner(),
                    p.group().or(defaults::group), p.mode().orElse(defaults.mode()), false, b);
            case Endpoint.UnixAbstract a -> openAbstract(reactor, a.name(), b);
            case Endpoint.Tcp t -> openTcp(reactor, t, allowRemote, b);
        };
    }

    /**
     * A listening socket a previous program of this process bound and kept open across a live re-exec;
     * connections that queued in its backlog meanwhile are accepted now. Loop thread only.
     */
    static Listener adopt(Reactor reactor, ConsoleSnapshot.Bound bound, String unitName, ConsoleAccess.Gate gate,
            Acceptor acceptor) {
        Path file = bound.socketFile().orElse(null);
        return new Listener(reactor, bound.fd(), bound.address(), bound.unix(), file,
                file == null ? null : SocketFile.identity(file), new Binding(unitName, gate, acceptor));
    }

    /** This listener for a live re-exec; its fd must stay open across the exec. */
    ConsoleSnapshot.Bound snapshot(boolean readOnly) {
        return new ConsoleSnapshot.Bound(readOnly, fd, address, unix, Optional.ofNullable(socketFile));
    }

    /** The address as the info file and PROCSERV_INFO write it: "tcp:127.0.0.1:20000", "unix:/path", "unix:@name". */
    public String address() {
        return address;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        reactor.unregister(fd);
        LibC.close(fd);
        if (socketFile != null) {
            try {
                SocketFile.removeIfStill(socketFile, socketFileKey);
            } catch (IOException e) {
                log.warn("could not remove console socket {}: {}", socketFile, e.getMessage());
            }
        }
    }

    private static Listener openUnixPath(Reactor reactor, Path path, Optional<String> owner, Optional<String> group,
            int mode, boolean createDir, Binding b) throws IOException {
        String unitName = b.unitName();
        String address = "unix:" + path;
        Sockets.Address addr = Sockets.unixPath(path.toString()).orElseThrow(() -> new IOException(
                "cannot listen on " + address + " for unit " + unitName + ": the path is longer than "
                        + Sockets.UNIX_PATH_MAX + " bytes; choose a shorter path"));
        if (createDir) {
            Files.createDirectories(path.getParent());
        }
        removeStaleSocket(path, address, unitName);
        int fd = newSocket(Sockets.AF_UNIX, address, unitName);
        if (Sockets.bind(fd, addr.memory(), addr.length()) != 0) {
            int errno = LibC.errno();
            LibC.close(fd);
            throw bindError(address, unitName, errno, "check that the directory exists and is writable");
        }
        try {
            applyOwnership(path, owner, group, mode, address, unitName);
            listenOn(fd, address, unitName);
            return new Listener(reactor, fd, address, true, path, SocketFile.identity(path), b);
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            Files.deleteIfExists(path);
            throw e;
        }
    }

    private static Listener openAbstract(Reactor reactor, String name, Binding b) throws IOException {
        String unitName = b.unitName();
        String address = "unix:@" + name;
        Sockets.Address addr = Sockets.unixAbstract(name).orElseThrow(() -> new IOException(
                "cannot listen on " + address + " for unit " + unitName + ": the name is longer than "
                        + Sockets.UNIX_PATH_MAX + " bytes; choose a shorter name"));
        int fd = newSocket(Sockets.AF_UNIX, address, unitName);
        try {
            if (Sockets.bind(fd, addr.memory(), addr.length()) != 0) {
                throw bindError(address, unitName, LibC.errno(), "choose another name");
            }
            listenOn(fd, address, unitName);
            return new Listener(reactor, fd, address, true, null, null, b);
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    private static Listener openTcp(Reactor reactor, Endpoint.Tcp tcp, boolean allowRemote, Binding b)
            throws IOException {
        String unitName = b.unitName();
        String asWritten = "tcp:" + tcp.address() + ":" + tcp.port();
        if (!tcp.loopback() && !allowRemote) {
            throw new IOException("refusing to listen on " + asWritten + " for unit " + unitName
                    + ": the address is not loopback; set allow_remote = true in [console] to accept remote connections");
        }
        InetAddress ip = resolve(tcp.address(), asWritten, unitName);
        Sockets.Address addr = Sockets.inet(ip, tcp.port());
        String host = Sockets.hostText(ip);
        String requested = "tcp:" + host + ":" + tcp.port();
        int fd = newSocket(addr.family(), requested, unitName);
        try {
            if (Sockets.setReuseAddress(fd) != 0) {
                throw new IOException("cannot set SO_REUSEADDR on " + requested + " for unit " + unitName + ": "
                        + LibC.lastError());
            }
            if (Sockets.bind(fd, addr.memory(), addr.length()) != 0) {
                int errno = LibC.errno();
                throw bindError(requested, unitName, errno,
                        errno == Sockets.EACCES ? "ports below 1024 need root; choose another port" : "choose another port");
            }
            listenOn(fd, requested, unitName);
            int port = Sockets.localPort(fd).orElseThrow(() -> new IOException(
                    "cannot read the port of " + requested + " for unit " + unitName + ": " + LibC.lastError()));
            return new Listener(reactor, fd, "tcp:" + host + ":" + port, false, null, null, b);
        } catch (IOException | RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    private static InetAddress resolve(String host, String asWritten, String unitName) throws IOException {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            return Arrays.stream(all).filter(a -> a instanceof Inet4Address).findFirst().orElse(all[0]);
        } catch (UnknownHostException e) {
            throw new IOException("cannot listen on " + asWritten + " for unit " + unitName
                    + ": the address does not resolve; use a numeric address such as 127.0.0.1", e);
        }
    }

    private static int newSocket(int family, String address, String unitName) throws IOException {
        int fd = Sockets.socket(family, Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot create a socket for " + address + " of unit " + unitName + ": "
                    + LibC.lastError() + "; check the manager's open file limit");
        }
        return fd;
    }

    private static void listenOn(int fd, String address, String unitName) throws IOException {
        if (Sockets.listen(fd, BACKLOG) != 0) {
            throw bindError(address, unitName, LibC.errno(), "choose another endpoint");
        }
    }

    private static IOException bindError(String address, String unitName, int errno, String advice) {
        return new IOException("cannot listen on " + address + " for unit " + unitName + ": "
                + LibC.strerror(errno) + "; " + advice);
    }

    /** A socket file left behind by a crash is removed; anything else in the way is the user's to sort out. */
    private static void removeStaleSocket(Path path, String address, String unitName) throws IOException {
        switch (SocketFile.clearStale(path)) {
            case NOTHING, STALE_REMOVED -> { }
            case NOT_A_SOCKET -> throw new IOException("cannot listen on " + address + " for unit " + unitName
                    + ": the file exists and is not a socket; remove it or choose another path");
            case LIVE -> throw new IOException("cannot listen on " + address + " for unit " + unitName
                    + ": another process is listening on it; stop that process or choose another path");
        }
    }

    private static void applyOwnership(Path path, Optional<String> owner, Optional<String> group, int mode,
            String address, String unitName) throws IOException {
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        String failure = "cannot give " + address + " of unit " + unitName;
        if (owner.isPresent()) {
            try {
                view.setOwner(users.lookupPrincipalByName(owner.get()));
            } catch (UserPrincipalNotFoundException e) {
                throw new IOException(failure + " the owner " + owner.get() + ": there is no such user; "
                        + "create the user or fix the endpoint", e);
            } catch (IOException e) {
                throw new IOException(failure + " the owner " + owner.get() + ": " + e.getMessage()
                        + "; only a manager running as root can do this", e);
            }
        }
        if (group.isPresent()) {
            try {
                view.setGroup(users.lookupPrincipalByGroupName(group.get()));
            } catch (UserPrincipalNotFoundException e) {
                throw new IOException(failure + " the group " + group.get() + ": there is no such group; "
                        + "create the group or fix the endpoint", e);
            } catch (IOException e) {
                throw new IOException(failure + " the group " + group.get() + ": " + e.getMessage()
                        + "; the manager must run as root or be a member of that group", e);
            }
        }
        view.setPermissions(SocketFile.permissions(mode));
    }


    private void acceptAll() {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP && !closed; i++) {
            peerLen.setInt(0, (int) peer.size());
            int client = Sockets.accept4(fd, peer, peerLen, Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC);
            if (client < 0) {
                int errno = LibC.errno();
                if (errno == Sockets.EMFILE || errno == Sockets.ENFILE) {
                    pauseAccepting(errno);
                }
                return;
            }
            Optional<Sockets.Inet> tcpPeer = unix ? Optional.empty() : Sockets.inet(peer);
            gate.admit(reactor, client, address, tcpPeer, admission -> admitted(client, admission));
        }
    }

    /** Back on the loop with the gate's answer: hand the connection on, or tell the peer why not and hang up. */
    private void admitted(int client, ConsoleAccess.Admission admission) {
        if (closed) {
            LibC.close(client);
            return;
        }
        switch (admission) {
            case ConsoleAccess.Admitted a -> acceptor.accepted(client, a.who());
            case ConsoleAccess.Refused r -> {
                Audit.LOG.warn("console {} of unit {}: refused {}: {}", address, unitName, r.who(), r.reason());
                byte[] line = (Announcements.refused(r.reason()) + "\r\n").getBytes(StandardCharsets.UTF_8);
                Memory m = new Memory(line.length);
                m.write(0, line, 0, line.length);
                Sockets.send(client, m, line.length, Sockets.MSG_NOSIGNAL); // a fresh socket has room; best effort
                LibC.close(client);
            }
        }
    }

    /** Out of fds: level-triggered epoll would wake us forever, so stop watching for a moment. */
    private void pauseAccepting(int errno) {
        log.warn("cannot accept on {}: {}; pausing accepts for {}", address, LibC.strerror(errno), FD_EXHAUSTED_PAUSE);
        reactor.modify(fd, 0);
        reactor.schedule(FD_EXHAUSTED_PAUSE, () -> {
            if (!closed) {
                reactor.modify(fd, Epoll.EPOLLIN);
            }
        });
    }
}
