package dev.manageprocs.control;

import dev.manageprocs.access.Peer;
import dev.manageprocs.posix.SocketFile;
import dev.manageprocs.access.Authorizer;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's control socket: one virtual thread per connection, one request and one reply each.
 * Bad requests (garbage, too big, cut short, or silent for too long) get an error reply (exit 2); peers that
 * may not act get a refusal (exit 1) and never reach the handler. The verb "ping" is answered here, for
 * anyone, with the manager's pid: a second manager uses it to name the first. Streaming verbs (attach,
 * logs) keep their connection for as long as the stream lasts and have no reply deadline.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ACCEPT_FAILURE_PAUSE = Duration.ofSeconds(1);

    private final Path socket;
    private final int mode;
    private final Optional<String> ownerGroup;
    private final Authorizer authorizer;
    private final ControlHandler handler;
    private final Duration ioTimeout;
    private final Ping ping;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "control-timeouts");
        t.setDaemon(true);
        return t;
    });
    private volatile ServerSocketChannel server;
    private Object boundFileKey;
    /** Connections with a request being read or answered (not streams): a re-exec waits for them. */
    private final Object answeringLock = new Object();
    private int answering; // guarded by answeringLock

    /**
     * @param socket     the socket file to create
     * @param mode       its permission bits: 0600 (user mode) or 0660 (system mode)
     * @param ownerGroup the group to give the socket file (control_group), when that group exists
     */
    public ControlServer(Path socket, int mode, Optional<String> ownerGroup, Authorizer authorizer,
            ControlHandler handler, Ping ping) {
        this(socket, mode, ownerGroup, authorizer, handler, ping, DEFAULT_TIMEOUT);
    }

    /** As above, with the time a client has to send its request or read the reply (tests use short ones). */
    ControlServer(Path socket, int mode, Optional<String> ownerGroup, Authorizer authorizer, ControlHandler handler,
            Ping ping, Duration ioTimeout) {
        this.ping = ping;
        this.socket = socket;
        this.mode = mode;
        this.ownerGroup = ownerGroup;
        this.authorizer = authorizer;
        this.handler = handler;
        this.ioTimeout = ioTimeout;
    }

    public Path socket() {
        return socket;
    }

    /**
     * Binds and starts accepting. Refuses when a manager answers on the socket; replaces a socket file that
     * nothing listens on (left by a crash); refuses to remove anything that is not a socket.
     */
    public void start() throws IOException {
        Files.createDirectories(socket.toAbsolutePath().getParent());
        boolean reexec = ReexecMarker.underWay(socket).orElse(-1) == ProcessHandle.current().pid();
        switch (SocketFile.inspect(socket)) {
            case NOTHING -> { }
            case STALE, STALE_REMOVED -> {
                if (!reexec) {
                    log.info("replacing stale control socket {} (no manager answered on it)", socket);
                }
            }
            case NOT_A_SOCKET -> throw new IOException(socket + " exists and is not a socket; remove it or set "
                    + "another control_socket in manager.toml");
            case LIVE -> throw new IOException("another manager is already running on " + socket
                    + pingPid().map(pid -> " (pid " + pid + ")").orElse("")
                    + "; stop it first or give this one another control_socket");
        }
        // Bound beside the path, then renamed over it: a client always finds a socket file there (the stale
        // one refuses, and during a re-exec the client waits), never a moment with none.
        Path fresh = socket.resolveSibling(socket.getFileName() + ".new");
        Files.deleteIfExists(fresh);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.bind(UnixDomainSocketAddress.of(fresh), 64);
            applyOwnership(fresh);
            Files.move(fresh, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            s.close();
            Files.deleteIfExists(fresh);
            throw e;
        }
        server = s;
        boundFileKey = SocketFile.identity(socket);
        Thread.ofVirtual().name("control-accept").start(this::acceptLoop);
        log.info("control socket listening on {}", socket);
    }

    /**
     * For a live re-exec: stops accepting but leaves the socket file (clients that find it refused wait,
     * see {@link ReexecMarker}), then waits up to {@code limit} for the requests being answered to be
     * answered. False when some were still being answered at the limit. {@link #start} binds again.
     */
    public boolean quiesce(Duration limit) throws InterruptedException {
        ServerSocketChannel s = server;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                log.debug("control socket {}: close failed: {}", socket, e.toString());
            }
        }
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (answeringLock) {
            while (answering > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(answeringLock, left);
            }
        }
        return true;
    }

    /** Stops accepting and removes the socket file (unless another manager has replaced it since). */
    @Override
    public void close() {
        if (server == null) {
            return;
        }
        try {
            server.close();
            SocketFile.removeIfStill(socket, boundFileKey);
        } catch (IOException e) {
            log.debug("control socket {} already gone: {}", socket, e.toString());
        }
        timer.shutdownNow();
    }

    /** Asks the running manager for its pid; empty when it does not say in time. */
    private Optional<String> pingPid() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            Runnable deadline = after(PING_TIMEOUT.toMillis(), () -> closeQuietly(ch));
            try {
                writeAll(ch, WireFormat.encode(Request.of(Verb.PING.wire())));
                Response r = WireFormat.readResponse(Channels.newInputStream(ch));
                return Ping.parse(r.out()).map(p -> Long.toString(p.pid()));
            } finally {
                deadline.run();
            }
        } catch (IOException | ProtocolException e) {
            return Optional.empty();
        }
    }

    private void applyOwnership(Path file) throws IOException {
        Files.setPosixFilePermissions(file, SocketFile.permissions(mode));
        if (ownerGroup.isPresent()) {
            try {
                GroupPrincipal group = socket.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByGroupName(ownerGroup.get());
                Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(group);
            } catch (UserPrincipalNotFoundException e) {
                log.warn("group '{}' does not exist, so only root and the manager's user can use {}; "
                        + "create the group to let its members in", ownerGroup.get(), socket);
            }
        }
    }

    private void acceptLoop() {
        ServerSocketChannel s = server;
        while (true) {
            SocketChannel ch;
            try {
                ch = s.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // Out of fds (EMFILE/ENFILE) the pending connection stays queued and accept fails again
                // at once, for ever: pause as the console listeners do, so the manager does not spin.
                log.error("control socket {}: accept failed ({}); pausing accepts for {} ms", socket, e.getMessage(),
                        ACCEPT_FAILURE_PAUSE.toMillis());
                try {
                    Thread.sleep(ACCEPT_FAILURE_PAUSE);
                } catch (InterruptedException stop) {
                    return;
                }
                continue;
            }
            synchronized (answeringLock) {
                answering++;
            }
            Thread.ofVirtual().name("control-conn").start(() -> serve(ch));
        }
    }

    private void serve(SocketChannel ch) {
        boolean counted = true;
        try (ch) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 8192);
            Intake intake = admit(ch, in);
            if (intake instanceof Admitted a && handler.streams(a.request().verb())) {
                answered();
                counted = false;
                stream(a, ch, in);
                return;
            }
            Response response = switch (intake) {
                case Refused r -> r.response();
                case Admitted a -> handle(a);
            };
            Runnable deadline = after(ioTimeout.toMillis(), () -> closeQuietly(ch));
            try {
                writeAll(ch, WireFormat.encode(response));
            } finally {
                deadline.run();
            }
        } catch (IOException e) {
            log.debug("control connection: could not send the reply: {}", e.toString());
        } finally {
            if (counted) {
                answered();
            }
        }
    }

    private void answered() {
        synchronized (answeringLock) {
            answering--;
            answeringLock.notifyAll();
        }
    }

    /**
     * Runs task after the delay; returns what cancels it. Once close() stopped the timer, connections
     * still being served are finishing anyway, so they get no deadline rather than an exception.
     */
    private Runnable after(long millis, Runnable task) {
        try {
            ScheduledFuture<?> f = timer.schedule(task, millis, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException closing) {
            return () -> { };
        }
    }

    /** The outcome of reading a request: an answer already (bad, ping, not allowed), or work for the handler. */
    private sealed interface Intake permits Refused, Admitted {
    }

    private record Refused(Response response) implements Intake {
    }

    private record Admitted(Request request, Peer peer) implements Intake {
    }

    private Intake admit(SocketChannel ch, InputStream in) {
        Peer peer;
        try {
            peer = peerOf(ch);
        } catch (IOException e) {
            log.warn("control connection: cannot read the peer's credentials: {}", e.toString());
            return new Refused(Response.error(Response.FAILED, "the manager could not identify you (SO_PEERCRED failed)"));
        }
        Request request;
        AtomicBoolean timedOut = new AtomicBoolean();
        Runnable deadline = after(ioTimeout.toMillis(), () -> {
            timedOut.set(true);
            try {
                ch.shutdownInput(); // wakes the blocked read with end-of-stream; the reply can still be sent
            } catch (IOException e) {
                closeQuietly(ch);
            }
        });
        try {
            request = WireFormat.readRequest(in);
        } catch (EOFException e) {
            String why = timedOut.get()
                    ? "no complete request arrived within " + timeoutText()
                    : "the request was cut short (" + e.getMessage() + ")";
            log.debug("control connection from {}: {}", peer.describe(), why);
            return new Refused(Response.error(Response.USAGE, why + "; send one whole request right after connecting"));
        } catch (ProtocolException e) {
            log.debug("control connection from {}: {}", peer.describe(), e.getMessage());
            return new Refused(Response.error(Response.USAGE, e.getMessage()));
        } catch (IOException e) {
            return new Refused(Response.error(Response.USAGE, "the request could not be read (" + e.getMessage() + ")"));
        } finally {
            deadline.run();
        }
        if (request.verb().equals(Verb.PING.wire())) {
            return new Refused(Response.ok(ping.text()));
        }
        Optional<String> refusal = authorizer.refusal(peer);
        if (refusal.isPresent()) {
            log.warn("refused '{}' from {}: not authorized", request.verb(), peer.describe());
            return new Refused(Response.error(Response.FAILED, refusal.get()));
        }
        return new Admitted(request, peer);
    }

    private Response handle(Admitted a) {
        try {
            return handler.handle(a.request(), a.peer());
        } catch (RuntimeException e) {
            return failed(a, e);
        }
    }

    /** A streaming verb: no reply deadline, the stream lasts as long as the handler says. */
    private void stream(Admitted a, SocketChannel ch, InputStream in) throws IOException {
        StreamSession session = new StreamSession(ch, in);
        try {
            handler.stream(a.request(), a.peer(), session);
        } catch (RuntimeException e) {
            session.finish(failed(a, e));
        }
    }

    private static Response failed(Admitted a, RuntimeException e) {
        log.error("control request '{}' from {} failed", a.request().verb(), a.peer().describe(), e);
        return Response.error(Response.FAILED, "the manager failed on '" + a.request().verb() + "' ("
                + e + "); its log has the details");
    }

    private String timeoutText() {
        long ms = ioTimeout.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** SO_PEERCRED gives names; the ids come from the account database (through the Authorizer's cache). */
    private Peer peerOf(SocketChannel ch) throws IOException {
        UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return authorizer.peer(p.user().getName(), p.group().getName());
    }

    private static void writeAll(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Closing to end a stalled connection: nothing more to do.
        }
    }
}
