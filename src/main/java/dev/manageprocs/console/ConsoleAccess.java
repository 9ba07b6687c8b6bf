package dev.manageprocs.console;

import dev.manageprocs.access.Authorizer;
import dev.manageprocs.access.Directory;
import dev.manageprocs.access.Peer;
import dev.manageprocs.posix.Accounts;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.SockDiag;
import dev.manageprocs.posix.Sockets;
import dev.manageprocs.reactor.Reactor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a new console connection is, and whether it may stay: decided on a few lookup threads, never on the event
 * loop, because naming a uid asks the name service (getpwuid, getgrouplist), and a slow LDAP or SSSD must not stall
 * every unit's console. The answer comes back to the loop as a task.
 *
 * <p>Unix sockets are filtered by the kernel (the socket file's owner, group and mode), so their peers are only
 * named, for the audit log. A TCP connection from this host is traced to the user that owns its other end
 * ({@link SockDiag}) and admitted by the control socket's rule: root, the manager's user, or a member of the
 * endpoint's groups (control_group in system mode, and log_group for read-only endpoints). A TCP peer on another
 * host (possible only with allow_remote) cannot be identified and is admitted unauthenticated.
 */
public final class ConsoleAccess {
    private static final int THREADS = 4;
    private static final int QUEUE = 256;
    private static final Duration IDLE = Duration.ofSeconds(5);

    /** The rule of one endpoint: these access rules, and the groups whose members may connect over TCP. */
    record Gate(ConsoleAccess access, List<String> groups) {
        /** Decides off the loop whether the connection on fd may stay, then runs {@code then} on the loop. */
        void admit(Reactor reactor, int fd, String endpoint, Optional<Sockets.Inet> tcpPeer, Consumer<Admission> then) {
            access.admit(reactor, new Connection(fd, endpoint, tcpPeer, groups), then);
        }
    }

    /** What a listener knows of one accepted connection. */
    private record Connection(int fd, String endpoint, Optional<Sockets.Inet> tcpPeer, List<String> groups) {
    }

    /** The decision, with who is on the other end in the words of the audit log. */
    sealed interface Admission {
        String who();
    }

    record Admitted(String who) implements Admission {
    }

    /** {@code reason}: one sentence for the peer and the audit log. */
    record Refused(String who, String reason) implements Admission {
    }

    private static final Logger log = LoggerFactory.getLogger(ConsoleAccess.class);

    private final Directory directory;
    private final int managerUid;
    private final ThreadPoolExecutor lookups;

    public ConsoleAccess(Directory directory, int managerUid) {
        this.directory = directory;
        this.managerUid = managerUid;
        // no thread while nobody connects (they end 5 s after the last one): an idle manager keeps its footprint
        this.lookups = new ThreadPoolExecutor(THREADS, THREADS, IDLE.toSeconds(), TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), Thread.ofPlatform().name("console-lookup-", 0).daemon().factory());
        lookups.allowCoreThreadTimeOut(true);
    }

    /** The rules of this process: the host's account database, this process's uid as the manager's. */
    public static ConsoleAccess ofThisProcess() {
        return new ConsoleAccess(Directory.system(), LibC.geteuid());
    }

    /** The gate of an endpoint whose TCP peers must be root, the manager's user or in one of the groups. */
    Gate gate(List<String> groups) {
        return new Gate(this, List.copyOf(groups));
    }

    private void admit(Reactor reactor, Connection c, Consumer<Admission> then) {
        try {
            lookups.execute(() -> {
                Admission a;
                try {
                    a = decide(c);
                } catch (RuntimeException e) {
                    log.error("console {}: checking a new connection failed", c.endpoint(), e);
                    a = new Refused(c.endpoint(), "the manager could not check who is connecting (" + e
                            + "); its log has the details");
                }
                Admission answer = a;
                reactor.execute(() -> then.accept(answer));
            });
        } catch (RejectedExecutionException busy) {
            then.accept(new Refused(c.endpoint(), "the manager has " + QUEUE + " console connections waiting for "
                    + "the name service, so it cannot check yours now; try again in a moment"));
        }
    }

    private Admission decide(Connection c) {
        if (c.tcpPeer().isEmpty()) {
            return new Admitted(Sockets.peerCredentials(c.fd())
                    .map(cred -> c.endpoint() + " uid " + cred.uid() + named(directory.user(cred.uid())))
                    .orElse(c.endpoint()));
        }
        Sockets.Inet peer = c.tcpPeer().get();
        String from = "tcp:" + Sockets.hostText(peer.address()) + ":" + peer.port();
        OptionalInt owner = Sockets.localInet(c.fd()).map(local -> SockDiag.ownerOf(peer, local))
                .orElse(OptionalInt.empty());
        if (owner.isEmpty()) {
            return peer.loopback()
                    ? new Refused(from, "permission denied: the manager cannot tell which user is connecting from "
                            + from + "; connect through the unit's unix socket or with manage-procs attach")
                    : new Admitted(from + " (remote, unauthenticated)");
        }
        int uid = owner.getAsInt();
        Optional<Accounts.User> user = directory.user(uid);
        String who = from + " uid " + uid + named(user);
        Peer p = new Peer(uid, user.map(Accounts.User::gid).orElse(-1),
                user.map(Accounts.User::name).orElse(Integer.toString(uid)));
        Optional<String> refusal = new Authorizer(managerUid, c.groups(), directory).refusal(p);
        return refusal.<Admission>map(r -> new Refused(who, r)).orElseGet(() -> new Admitted(who));
    }

    private static String named(Optional<Accounts.User> user) {
        return user.map(u -> " (" + u.name() + ")").orElse("");
    }
}
