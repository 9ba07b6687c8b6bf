package dev.manageprocs.control;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The CLI's side of the control socket: connect, send one request, read one response. Every failure comes
 * back as a Response (exit 1, one sentence) so commands just print what they get.
 *
 * <p>While the manager re-executes itself ({@code daemon-reexec}) its socket refuses connections, or is
 * briefly missing, for a second or two; {@link ReexecMarker} says so. A connect that fails that way while
 * the marker names a live process is tried again every {@link #RETRY} until the socket answers or the
 * marker is gone (then once more), for at most {@link #REEXEC_WAIT}. Without a marker nothing waits: a
 * socket left by a crash fails at once.
 */
public final class ControlClient {
    static final Duration RETRY = Duration.ofMillis(25);
    static final Duration REEXEC_WAIT = Duration.ofSeconds(30);

    private final SocketPath socket;
    private final Duration reexecWait;
    private volatile boolean waitedForReexec;

    public ControlClient(SocketPath socket) {
        this(socket, REEXEC_WAIT);
    }

    /** With another bound on the wait for a re-exec (tests). */
    ControlClient(SocketPath socket, Duration reexecWait) {
        this.socket = socket;
        this.reexecWait = reexecWait;
    }

    /** The client for the mode's manager (and --config); CallFailed when manager.toml cannot be read. */
    public static ControlClient of(boolean user, boolean system, Optional<Path> config) throws CallFailed {
        try {
            return new ControlClient(SocketPath.resolve(user, system, config));
        } catch (SocketPath.Unresolvable e) {
            throw new CallFailed(Response.error(Response.FAILED, e.getMessage()));
        }
    }

    public Path socket() {
        return socket.path();
    }

    /** How to get a manager running in this mode, for sentences about a manager that is gone. */
    public String startHint() {
        return socket.startHint();
    }

    /** True once a connect of this client found a re-exec under way and waited for it. */
    public boolean waitedForReexec() {
        return waitedForReexec;
    }

    /** The manager's ping: its pid, version and re-exec generation; empty when no manager answers as one. */
    public Optional<Ping> ping() {
        Response r = send(Request.of(Verb.PING.wire()));
        return r.exitCode() == Response.OK ? Ping.parse(r.out()) : Optional.empty();
    }

    /** Finds the manager's socket for the mode (and --config), sends the request, returns the reply or why there is none. */
    public static Response call(boolean user, boolean system, Optional<Path> config, Request request) {
        try {
            return of(user, system, config).send(request);
        } catch (CallFailed e) {
            return e.response();
        }
    }

    /** Connects and sends the request of a streaming verb; the stream is the caller's to read. */
    public StreamCall stream(Request request) throws CallFailed {
        SocketChannel channel = connect();
        try {
            ByteBuffer buf = ByteBuffer.wrap(WireFormat.encode(request));
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            // a manager that refused early has its reply waiting: the stream's read gives it
        }
        return new StreamCall(channel, socket.path());
    }

    public Response send(Request request) {
        SocketChannel channel;
        try {
            channel = connect();
        } catch (CallFailed e) {
            return e.response();
        }
        try (channel) {
            sendAll(channel, WireFormat.encode(request));
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
            return WireFormat.readResponse(in);
        } catch (EOFException e) {
            return Response.error(Response.FAILED, "the manager on " + socket.path()
                    + " closed the connection without a reply; check its log");
        } catch (IOException e) {
            return Response.error(Response.FAILED, "lost the connection to the manager on " + socket.path()
                    + " (" + e.getMessage() + "); check its log");
        } catch (ProtocolException e) {
            return Response.error(Response.FAILED, e.getMessage());
        }
    }

    private SocketChannel connect() throws CallFailed {
        long deadline = System.nanoTime() + reexecWait.toNanos();
        boolean waited = false;
        boolean lastTry = false;
        while (true) {
            SocketChannel channel;
            try {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            } catch (IOException e) {
                throw new CallFailed(Response.error(Response.FAILED, "cannot create a unix socket: " + e.getMessage()));
            }
            IOException failure;
            try {
                channel.connect(UnixDomainSocketAddress.of(socket.path()));
                return channel;
            } catch (IOException e) {
                failure = e;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the connection never existed
                }
            }
            if (lastTry || !refusedOrMissing(failure)) {
                throw new CallFailed(cannotConnect(failure));
            }
            OptionalLong reexec = ReexecMarker.underWay(socket.path());
            if (reexec.isEmpty()) {
                if (!waited) {
                    throw new CallFailed(cannotConnect(failure));
                }
                lastTry = true; // the re-executed manager removes the marker once it accepts again
                continue;
            }
            if (System.nanoTime() > deadline) {
                throw new CallFailed(Response.error(Response.FAILED, "the manager (pid " + reexec.getAsLong() + ") on "
                        + socket.path() + " began to re-execute itself and has not accepted connections for "
                        + reexecWait.toSeconds() + " s; check its log"));
            }
            waited = true;
            waitedForReexec = true;
            LockSupport.parkNanos(RETRY.toNanos());
        }
    }

    /** How a socket fails while a re-exec has it closed: nothing listening, or no file for a moment. */
    private boolean refusedOrMissing(IOException e) {
        return e instanceof ConnectException || Files.notExists(socket.path());
    }

    /** Nothing there, nothing listening (a socket left by a crash), or not ours to use: say which. */
    private Response cannotConnect(IOException e) {
        Path path = socket.path();
        if (e instanceof ConnectException || Files.notExists(path)) {
            return Response.error(Response.FAILED, "no manager is running on " + path + "; " + socket.startHint());
        }
        if (!Files.isWritable(path)) {
            return Response.error(Response.FAILED, "permission denied on " + path + ": only root, the manager's "
                    + "user and members of its control_group may use it; ask an administrator to add you to that "
                    + "group");
        }
        return Response.error(Response.FAILED, "cannot connect to the manager on " + path + " ("
                + e.getMessage() + ")");
    }

    /**
     * Writes the request. A manager that refuses it early (too big, say) may close before reading it all:
     * the write then fails but its reply is waiting, so the caller still reads.
     */
    private static void sendAll(SocketChannel channel, byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.shutdownOutput();
        } catch (IOException e) {
            // Read the reply that explains why.
        }
    }
}
