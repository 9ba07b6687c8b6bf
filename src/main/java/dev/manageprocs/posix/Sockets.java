package dev.manageprocs.posix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * socket(7) calls on raw fds, and socket addresses built by hand (sockaddr_un, sockaddr_in,
 * sockaddr_in6), so the event loop can own non-blocking sockets of every family, including Linux
 * abstract unix sockets, which java.nio cannot bind.
 */
public final class Sockets {
    static {
        Native.register(Sockets.class, NativeLibrary.getInstance("c"));
    }

    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_RCVBUF = 8;
    public static final int SO_PEERCRED = 17;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int SHUT_RDWR = 2;

    public static final int EMFILE = 24;
    public static final int ENFILE = 23;
    public static final int EACCES = 13;
    public static final int EADDRINUSE = 98;

    /** sun_path is 108 bytes; a path needs its terminating NUL. */
    public static final int UNIX_PATH_MAX = 107;
    private static final int SOCKADDR_MAX = 128;

    private Sockets() {
    }

    public static native int socket(int domain, int type, int protocol);

    public static native int bind(int fd, Pointer addr, int len);

    public static native int listen(int fd, int backlog);

    public static native int accept4(int fd, Pointer addr, Pointer addrLen, int flags);

    public static native int connect(int fd, Pointer addr, int len);

    public static native int getsockname(int fd, Pointer addr, Pointer addrLen);

    public static native int setsockopt(int fd, int level, int option, Pointer value, int len);

    public static native int getsockopt(int fd, int level, int option, Pointer value, Pointer len);

    public static native int shutdown(int fd, int how);

    public static native int socketpair(int domain, int type, int protocol, int[] fds);

    /** Like write(2) but never raises SIGPIPE: a vanished peer is EPIPE. */
    public static native long send(int fd, Pointer buf, long len, int flags);

    public static native long recv(int fd, Pointer buf, long len, int flags);

    /** One datagram to an address, on an unconnected SOCK_DGRAM socket. */
    public static native long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrLen);

    /** A socket address ready to hand to bind/connect. */
    public record Address(int family, Memory memory, int length) {
    }

    /** One end of a TCP connection: the family's raw address bytes (4 or 16) and the port. */
    public record Inet(int family, byte[] address, int port) {
        /** 127.0.0.0/8, ::1, or either as an IPv4-mapped IPv6 address. */
        public boolean loopback() {
            if (family == AF_INET) {
                return address[0] == 127;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= address[i] == 0;
            }
            if (mapped && address[10] == (byte) 0xff && address[11] == (byte) 0xff) {
                return address[12] == 127;
            }
            for (int i = 0; i < 15; i++) {
                if (address[i] != 0) {
                    return false;
                }
            }
            return address[15] == 1;
        }
    }

    /** Who is on the other end of a unix socket (SO_PEERCRED). */
    public record PeerCredentials(int pid, int uid, int gid) {
    }

    /** sockaddr_un for a path; empty when the path is too long for sun_path. */
    public static Optional<Address> unixPath(String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        if (b.length > UNIX_PATH_MAX) {
            return Optional.empty();
        }
        Memory m = zeroed(2 + b.length + 1);
        m.setShort(0, (short) AF_UNIX);
        m.write(2, b, 0, b.length);
        return Optional.of(new Address(AF_UNIX, m, 2 + b.length + 1));
    }

    /** sockaddr_un in the abstract namespace: a leading NUL, then the name, no terminator. */
    public static Optional<Address> unixAbstract(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length > UNIX_PATH_MAX) {
            return Optional.empty();
        }
        Memory m = zeroed(2 + 1 + b.length);
        m.setShort(0, (short) AF_UNIX);
        m.write(3, b, 0, b.length);
        return Optional.of(new Address(AF_UNIX, m, 2 + 1 + b.length));
    }

    /** sockaddr_in or sockaddr_in6 for a resolved address (port in network byte order). */
    public static Address inet(InetAddress address, int port) {
        byte[] a = address.getAddress();
        if (address instanceof Inet4Address) {
            Memory m = zeroed(16);
            m.setShort(0, (short) AF_INET);
            setPort(m, port);
            m.write(4, a, 0, 4);
            return new Address(AF_INET, m, 16);
        }
        Memory m = zeroed(28);
        m.setShort(0, (short) AF_INET6);
        setPort(m, port);
        m.write(8, a, 0, 16);
        m.setInt(24, ((Inet6Address) address).getScopeId());
        return new Address(AF_INET6, m, 28);
    }

    /** The port a socket is bound to (after binding port 0, the one the kernel chose). */
    public static OptionalInt localPort(int fd) {
        Memory addr = zeroed(SOCKADDR_MAX);
        Memory len = lengthOf(SOCKADDR_MAX);
        if (getsockname(fd, addr, len) != 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(port(addr));
    }

    /** A sockaddr_in/in6 (an accepted peer's, or getsockname's) as an {@link Inet}; empty for other families. */
    public static Optional<Inet> inet(Pointer addr) {
        int family = addr.getShort(0);
        if (family == AF_INET) {
            return Optional.of(new Inet(AF_INET, addr.getByteArray(4, 4), port(addr)));
        }
        if (family == AF_INET6) {
            return Optional.of(new Inet(AF_INET6, addr.getByteArray(8, 16), port(addr)));
        }
        return Optional.empty();
    }

    /** The local end of a connected TCP socket. */
    public static Optional<Inet> localInet(int fd) {
        Memory addr = zeroed(SOCKADDR_MAX);
        Memory len = lengthOf(SOCKADDR_MAX);
        return getsockname(fd, addr, len) == 0 ? inet(addr) : Optional.empty();
    }

    /** "127.0.0.1:40122" or "[::1]:40122" for an accepted peer's sockaddr_in/in6; null for others. */
    public static String inetText(Pointer addr) {
        int family = addr.getShort(0);
        try {
            if (family == AF_INET) {
                return hostText(InetAddress.getByAddress(addr.getByteArray(4, 4))) + ":" + port(addr);
            }
            if (family == AF_INET6) {
                return hostText(InetAddress.getByAddress(addr.getByteArray(8, 16))) + ":" + port(addr);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("kernel returned a malformed address", e);
        }
        return null;
    }

    /** {@link #hostText(InetAddress)} of raw address bytes (4 or 16). */
    public static String hostText(byte[] address) {
        try {
            return hostText(InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + address.length + " bytes", e);
        }
    }

    /** "127.0.0.1", or "[::1]" (RFC 5952 short form, bracketed for host:port) where Java would say 0:0:0:0:0:0:0:1. */
    public static String hostText(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] a = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
            } else {
                if (b.length() > 1 && b.charAt(b.length() - 1) != ':') {
                    b.append(':');
                }
                b.append(Integer.toHexString(groups[i]));
            }
        }
        return b.append(']').toString();
    }

    public static int setReuseAddress(int fd) {
        Memory one = new Memory(4);
        one.setInt(0, 1);
        return setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, one, 4);
    }

    /** The peer of a connected unix socket; empty when the kernel cannot tell (not a unix socket). */
    public static Optional<PeerCredentials> peerCredentials(int fd) {
        Memory cred = zeroed(12);
        Memory len = lengthOf(12);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cred, len) != 0) {
            return Optional.empty();
        }
        return Optional.of(new PeerCredentials(cred.getInt(0), cred.getInt(4), cred.getInt(8)));
    }

    /**
     * A connected pair of unix stream sockets: {@code [0]} blocking (for a thread that waits on it), {@code [1]}
     * non-blocking (for the event loop). Both close on exec.
     */
    public static int[] streamPair() throws IOException {
        int[] fds = new int[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
            throw new IOException("cannot create a socket pair: " + LibC.lastError()
                    + "; check the manager's open file limit");
        }
        if (LibC.setNonBlocking(fds[1]) != 0) {
            String why = LibC.lastError();
            LibC.close(fds[0]);
            LibC.close(fds[1]);
            throw new IOException("cannot make a socket non-blocking: " + why);
        }
        return fds;
    }

    /** A buffer big enough for any sockaddr, for accept4. */
    public static Memory addressBuffer() {
        return zeroed(SOCKADDR_MAX);
    }

    /** A socklen_t holding n, for accept4/getsockname/getsockopt. */
    public static Memory lengthOf(int n) {
        Memory len = new Memory(4);
        len.setInt(0, n);
        return len;
    }

    private static int port(Pointer addr) {
        return ((addr.getByte(2) & 0xff) << 8) | (addr.getByte(3) & 0xff);
    }

    private static void setPort(Memory m, int port) {
        m.setByte(2, (byte) (port >>> 8));
        m.setByte(3, (byte) port);
    }

    private static Memory zeroed(int size) {
        Memory m = new Memory(size);
        m.clear();
        return m;
    }
}
