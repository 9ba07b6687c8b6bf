package dev.manageprocs.faults;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A console client that types one byte at a time to a unit whose child echoes it (cat on a raw
 * terminal) and times each round trip: what an operator feels as keystroke latency.
 */
final class EchoProbe implements AutoCloseable {
    /** The command of a unit that echoes every byte at once: cat, terminal raw and without its own echo. */
    static final String ECHO_COMMAND = "[\"sh\", \"-c\", \"stty raw -echo; exec cat\"]";

    private final SocketChannel ch;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final ByteBuffer out = ByteBuffer.allocate(1);
    private int next;

    EchoProbe(Path console) throws IOException {
        ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(console));
        // Banner, negotiation and history come first; a token echoed back marks where they end.
        byte[] sync = "#sync#".getBytes(StandardCharsets.US_ASCII);
        write(ByteBuffer.wrap(sync));
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf("#sync#") < 0) {
            seen.append(new String(read(), StandardCharsets.ISO_8859_1));
        }
    }

    /** One byte out, until it comes back: microseconds. */
    long roundTripMicros() throws IOException {
        byte b = (byte) ('a' + next++ % 26);
        long t0 = System.nanoTime();
        write(out.clear().put(b).flip());
        while (true) {
            byte[] got = read();
            for (byte x : got) {
                if (x == b) {
                    return (System.nanoTime() - t0) / 1000;
                }
            }
        }
    }

    /** {@code n} round trips in a row: microseconds each. */
    long[] burst(int n) throws IOException {
        long[] samples = new long[n];
        for (int i = 0; i < n; i++) {
            samples[i] = roundTripMicros();
        }
        return samples;
    }

    static long percentile(long[] samples, double p) {
        long[] s = samples.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(p / 100 * (s.length - 1)))];
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private byte[] read() throws IOException {
        in.clear();
        if (ch.read(in) < 0) {
            throw new IOException("the console closed the connection");
        }
        return Arrays.copyOf(in.array(), in.position());
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
