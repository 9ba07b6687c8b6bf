package dev.manageprocs.handoff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A console client that only reads, on a thread of its own, and keeps every byte; it knows when the server hung up. */
final class ConsoleTap implements AutoCloseable {
    private static final Pattern SEQ = Pattern.compile("seq (\\d+)\r?\n");
    private final SocketChannel channel;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Thread reader;
    private volatile boolean hungUp;

    private ConsoleTap(SocketChannel channel, String name) {
        this.channel = channel;
        reader = Thread.ofPlatform().daemon().name("tap-" + name).start(this::read);
    }

    static ConsoleTap unix(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new ConsoleTap(ch, socket.toString());
    }

    static ConsoleTap tcp(int port) throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        return new ConsoleTap(ch, "tcp:" + port);
    }

    private void read() {
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        try {
            while (channel.read(buf.clear()) >= 0) {
                synchronized (received) {
                    received.write(buf.array(), 0, buf.position());
                }
            }
        } catch (IOException e) {
            // closed by close(), or reset: either way the stream is over
        }
        hungUp = true;
    }

    boolean hungUp() {
        return hungUp;
    }

    String text() {
        synchronized (received) {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    /** The sequence numbers received, in order. */
    List<Long> sequence() {
        return sequenceIn(text());
    }

    static List<Long> sequenceIn(String text) {
        List<Long> seq = new ArrayList<>();
        Matcher m = SEQ.matcher(text);
        while (m.find()) {
            seq.add(Long.parseLong(m.group(1)));
        }
        return seq;
    }

    /** The first break in a sequence that must count up by one ("17 then 19"), or empty. */
    static String firstGap(List<Long> seq) {
        for (int i = 1; i < seq.size(); i++) {
            if (seq.get(i) != seq.get(i - 1) + 1) {
                return seq.get(i - 1) + " then " + seq.get(i) + " at index " + i;
            }
        }
        return "";
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
