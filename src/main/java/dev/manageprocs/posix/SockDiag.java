package dev.manageprocs.posix;

import com.sun.jna.Memory;
import java.util.OptionalInt;

/**
 * Which user owns the other end of a TCP connection made on this host, asked of the kernel the way {@code ss -e}
 * does: one NETLINK_SOCK_DIAG request (inet_diag_req_v2) for the exact socket whose local end is the peer's address
 * and whose remote end is ours; the answer's inet_diag_msg carries the uid that created it. The kernel answers
 * while the request is sent, so nothing here waits. Linux only; needs no privilege.
 */
public final class SockDiag {
    private static final int AF_NETLINK = 16;
    private static final int NETLINK_SOCK_DIAG = 4;
    private static final short SOCK_DIAG_BY_FAMILY = 20;
    private static final short NLM_F_REQUEST = 1;
    private static final byte IPPROTO_TCP = 6;
    private static final int MSG_DONTWAIT = 0x40;
    // nlmsghdr (16) + inet_diag_req_v2: family, protocol, ext, pad, states (8) + inet_diag_sockid (48)
    private static final int REQUEST_SIZE = 16 + 8 + 48;
    // nlmsghdr (16) + inet_diag_msg: family, state, timer, retrans (4), sockid (48), expires, rqueue, wqueue, uid
    private static final int UID_OFFSET = 16 + 4 + 48 + 12;
    private static final int REPLY_SIZE = 8192;

    private SockDiag() {
    }

    /**
     * The uid owning the socket at {@code peer} that is connected to {@code local} (our accepted end's address);
     * empty when no socket on this host matches (the peer is on another host, or has already closed).
     */
    public static OptionalInt ownerOf(Sockets.Inet peer, Sockets.Inet local) {
        int fd = Sockets.socket(AF_NETLINK, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        if (fd < 0) {
            return OptionalInt.empty();
        }
        try {
            Memory req = request(peer, local);
            if (Sockets.send(fd, req, REQUEST_SIZE, 0) != REQUEST_SIZE) {
                return OptionalInt.empty();
            }
            Memory reply = new Memory(REPLY_SIZE);
            long n = Sockets.recv(fd, reply, REPLY_SIZE, MSG_DONTWAIT);
            if (n < UID_OFFSET + 4 || reply.getShort(4) != SOCK_DIAG_BY_FAMILY) {
                return OptionalInt.empty(); // NLMSG_ERROR: -ENOENT, no such socket here
            }
            return OptionalInt.of(reply.getInt(UID_OFFSET));
        } finally {
            LibC.close(fd);
        }
    }

    private static Memory request(Sockets.Inet peer, Sockets.Inet local) {
        Memory m = new Memory(REQUEST_SIZE);
        m.clear();
        m.setInt(0, REQUEST_SIZE);
        m.setShort(4, SOCK_DIAG_BY_FAMILY);
        m.setShort(6, NLM_F_REQUEST);
        m.setByte(16, (byte) peer.family());
        m.setByte(17, IPPROTO_TCP);
        m.setInt(20, -1); // every TCP state
        // inet_diag_sockid: the socket's own end (src) is the peer, its remote end (dst) is us
        bigEndianPort(m, 24, peer.port());
        bigEndianPort(m, 26, local.port());
        m.write(28, peer.address(), 0, peer.address().length);
        m.write(44, local.address(), 0, local.address().length);
        m.setInt(64, -1); // INET_DIAG_NOCOOKIE
        m.setInt(68, -1);
        return m;
    }

    private static void bigEndianPort(Memory m, int offset, int port) {
        m.setByte(offset, (byte) (port >>> 8));
        m.setByte(offset + 1, (byte) port);
    }
}
