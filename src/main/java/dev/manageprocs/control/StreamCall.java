package dev.manageprocs.control;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The client's side of a streaming verb (attach, logs): the request is sent, then the manager's chunks
 * are read until its final response while the client may send raw input. Closing ends the stream; the
 * client never half-closes, because the manager takes the end of its input for the client going away.
 */
public final class StreamCall implements AutoCloseable {
    private final SocketChannel channel;
    private final Path socket;
    private volatile boolean cut;

    StreamCall(SocketChannel channel, Path socket) {
        this.channel = channel;
        this.socket = socket;
    }

    /** Raw bytes for the manager (attach: telnet-encoded console input). Safe from several threads. */
    public synchronized void send(byte[] bytes, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes, off, len);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /**
     * Passes every chunk to the sink until the manager's final response, which is returned. A connection
     * that ends without one comes back as exit 1 with a sentence; so does one closed by {@link #close()}.
     * A sink that cannot write (our stdout is a pipe whose reader went away: {@code logs -f | head}) ends
     * the stream quietly with {@link #OUTPUT_CLOSED}: that is no fault of the manager's, and there is
     * nobody to tell.
     */
    public Response read(WireFormat.ChunkSink sink) {
        try {
            return WireFormat.readStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16),
                    new GuardedSink(sink));
        } catch (OutputClosed e) {
            return new Response(OUTPUT_CLOSED, "", "");
        } catch (EOFException e) {
            cut = true;
            return Response.error(Response.FAILED, "the manager on " + socket
                    + " closed the connection (it stopped or crashed); check its log");
        } catch (IOException e) {
            cut = true;
            return Response.error(Response.FAILED, "lost the connection to the manager on " + socket + " ("
                    + e.getMessage() + ")");
        } catch (ProtocolException e) {
            return Response.error(Response.FAILED, e.getMessage());
        }
    }

    /**
     * True when {@link #read} ended without the manager's final response: the connection ended or broke (or
     * was closed here). A live re-exec of the manager cuts every stream this way; the caller may reconnect.
     */
    public boolean cut() {
        return cut;
    }

    /** The exit status of a stream whose output was closed: 128 + SIGPIPE, as a program killed by it has. */
    public static final int OUTPUT_CLOSED = 141;

    /** What the sink failed to write, told apart from a failure to read the manager's connection. */
    private static final class OutputClosed extends IOException {
        private static final long serialVersionUID = 1L;

        OutputClosed(IOException cause) {
            super(cause);
        }
    }

    /** No lambda: the client's start-up. */
    private static final class GuardedSink implements WireFormat.ChunkSink {
        private final WireFormat.ChunkSink sink;

        GuardedSink(WireFormat.ChunkSink sink) {
            this.sink = sink;
        }

        @Override
        public void chunk(boolean stderr, byte[] bytes) throws IOException {
            try {
                sink.chunk(stderr, bytes);
            } catch (IOException e) {
                throw new OutputClosed(e);
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to say to a manager we are leaving
        }
    }
}
