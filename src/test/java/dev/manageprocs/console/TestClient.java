package dev.manageprocs.console;

import dev.manageprocs.testing.Eventually;
import com.sun.jna.Memory;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.Sockets;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * A console user on a real blocking socket (raw fds, so abstract unix sockets work too), connected
 * to an address as the hub reports it ("tcp:127.0.0.1:PORT", "unix:/path", "unix:@name"). A reader
 * thread collects everything received; a "stalled" client does not read until told to.
 */
final class TestClient implements AutoCloseable {
    private final int fd;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private volatile long count;
    private volatile boolean eof;
    private Thread reader;

    private TestClient(int fd) {
        this.fd = fd;
    }

    static TestClient connect(String address) {
        return connect(address, 0, true);
    }

    /** receiveBuffer > 0 shrinks SO_RCVBUF (a slow client); read = false connects a stalled one. */
    static TestClient connect(String address, int receiveBuffer, boolean read) {
        Sockets.Address addr = parse(address);
        int fd = Sockets.socket(addr.family(), Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IllegalStateException("socket: " + LibC.lastError());
        }
        if (receiveBuffer > 0) {
            Memory v = new Memory(4);
            v.setInt(0, receiveBuffer);
            Sockets.setsockopt(fd, Sockets.SOL_SOCKET, Sockets.SO_RCVBUF, v, 4);
        }
        if (Sockets.connect(fd, addr.memory(), addr.length()) != 0) {
            String err = LibC.lastError();
            LibC.close(fd);
            throw new IllegalStateException("cannot connect to " + address + ": " + err);
        }
        TestClient c = new TestClient(fd);
        if (read) {
            c.startReading();
        }
        return c;
    }

    static Sockets.Address parse(String address) {
        try {
            if (address.startsWith("unix:@")) {
                return Sockets.unixAbstract(address.substring(6)).orElseThrow();
            }
            if (address.startsWith("unix:")) {
                return Sockets.unixPath(address.substring(5)).orElseThrow();
            }
            String hostPort = address.substring(4);
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            return Sockets.inet(InetAddress.getByName(host), Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    synchronized void startReading() {
        if (reader != null) {
            return;
        }
        reader = Thread.ofPlatform().daemon().name("test-client-" + fd).start(() -> {
            Memory buf = new Memory(65536);
            byte[] arr = new byte[65536];
            while (true) {
                long n = LibC.read(fd, buf, arr.length);
                if (n <= 0) {
                    eof = true;
                    return;
                }
                buf.read(0, arr, 0, (int) n);
                synchronized (received) {
                    received.write(arr, 0, (int) n);
                }
                count += n;
            }
        });
    }

    void send(byte[] bytes) {
        Memory m = new Memory(Math.max(1, bytes.length));
        m.write(0, bytes, 0, bytes.length);
        long done = 0;
        while (done < bytes.length) {
            long n = Sockets.send(fd, m.share(done), bytes.length - done, Sockets.MSG_NOSIGNAL);
            if (n < 0) {
                throw new IllegalStateException("send failed: " + LibC.lastError());
            }
            done += n;
        }
    }

    void send(String text) {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    byte[] bytes() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** Everything received so far, one char per byte. */
    String text() {
        return new String(bytes(), StandardCharsets.ISO_8859_1);
    }

    long count() {
        return count;
    }

    boolean closedByServer() {
        return eof;
    }

    void awaitText(String expected) {
        Eventually.until(() -> text().contains(expected), () -> "\"" + expected + "\" in: " + printable(text()));
    }

    void awaitClosedByServer() {
        Eventually.until(() -> eof, () -> "the server to close the connection; received: " + printable(text()));
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7f) {
                b.append(c);
            } else if (c == '\n') {
                b.append("\\n\n");
            } else {
                b.append(String.format("\\x%02x", (int) c));
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        Sockets.shutdown(fd, Sockets.SHUT_RDWR);
        Thread r;
        synchronized (this) {
            r = reader;
        }
        if (r != null) {
            try {
                r.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LibC.close(fd);
    }
}
