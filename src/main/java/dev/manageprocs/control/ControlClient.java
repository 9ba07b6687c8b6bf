package dev.manageprocs.control;

import java.util.Optional;
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

/**
 * The CLI's side of the control socket: connect, send one request, read one response. Every failure comes
 * back as a Response (exit 1, one sentence) so commands just print what they get.
 */
public final class ControlClient {
    private final SocketPath socket;

    public ControlClient(SocketPath socket) {
        this.socket = socket;
    }

    /** Finds the manager's socket for the mode (and --config), sends the request, returns the reply or why there is none. */
    public static Response call(boolean user, boolean system, Optional<Path> config, Request request) {
        try {
            return new ControlClient(SocketPath.resolve(user, system, config)).send(request);
        } catch (SocketPath.Unresolvable e) {
            return Response.error(Response.FAILED, e.getMessage());
        }
    }

    /** Opens a streaming call (attach, logs): connects and sends the request; the stream follows. */
    public static StreamCall openStream(boolean user, boolean system, Optional<Path> config, Request request)
            throws CallFailed {
        SocketPath path;
        try {
            path = SocketPath.resolve(user, system, config);
        } catch (SocketPath.Unresolvable e) {
            throw new CallFailed(Response.error(Response.FAILED, e.getMessage()));
        }
        return new ControlClient(path).stream(request);
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
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new CallFailed(Response.error(Response.FAILED, "cannot create a unix socket: " + e.getMessage()));
        }
        try {
            channel.connect(UnixDomainSocketAddress.of(socket.path()));
            return channel;
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the connection never existed
            }
            throw new CallFailed(cannotConnect(e));
        }
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
