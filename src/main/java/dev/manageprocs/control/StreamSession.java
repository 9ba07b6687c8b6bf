package dev.manageprocs.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SocketChannel;

/**
 * The manager's side of one streaming reply (docs/control-protocol.md, "Streaming verbs"): chunks for the
 * client's stdout and stderr, then one final response. The client's bytes after its request are
 * {@link #input()}; their end means the client has gone (it never half-closes during a stream).
 * Writes may come from several threads; each chunk goes out whole. A client that stops reading blocks
 * the writer (a virtual thread), never the manager, and nothing is buffered for it here.
 */
public final class StreamSession {
    /** The largest chunk sent: bigger writes are split. */
    static final int MAX_CHUNK = 64 * 1024;

    private final SocketChannel channel;
    private final InputStream input;
    private boolean finished;

    StreamSession(SocketChannel channel, InputStream input) {
        this.channel = channel;
        this.input = input;
    }

    /** What the client sends after its request (raw bytes; for attach, telnet-encoded console input). */
    public InputStream input() {
        return input;
    }

    public void out(byte[] bytes, int off, int len) throws IOException {
        chunk(false, bytes, off, len);
    }

    /** A line of text for the client's stderr (a warning while the stream goes on). */
    public void err(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        chunk(true, b, 0, b.length);
    }

    /** The last message: the client prints it and exits with its code. Later writes fail. */
    public synchronized void finish(Response response) throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        write(WireFormat.encode(response));
        channel.shutdownOutput();
    }

    /** Ends the stream at once (the client has gone, or the manager is stopping). */
    public void abort() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a connection that is already broken
        }
    }

    private synchronized void chunk(boolean stderr, byte[] bytes, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("the stream has already ended");
        }
        for (int done = 0; done < len; done += MAX_CHUNK) {
            write(WireFormat.encodeChunk(stderr, bytes, off + done, Math.min(MAX_CHUNK, len - done)));
        }
    }

    private void write(byte[] frame) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(frame);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }
}
