package dev.manageprocs.manager;

import com.sun.jna.Memory;
import dev.manageprocs.access.Audit;
import dev.manageprocs.access.Peer;
import dev.manageprocs.console.TelnetDecoder;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.StreamSession;
import dev.manageprocs.control.VerbOption;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.Sockets;
import dev.manageprocs.supervisor.Announcements;
import dev.manageprocs.unit.KeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code attach} over the control socket: the manager makes a socket pair, hands one end to the unit's console as
 * one more client named by the control peer ("'alice' (uid 1000) through attach"), and copies bytes between the other
 * end and the control connection until either side ends. So the keys an operator presses through attach (^X kills
 * the child) are audited under the operator's name, attach is allowed exactly by the control socket's rules, and it
 * works for a unit with no console endpoint at all.
 *
 * <p>The relay passes the console's telnet stream as it is; the attach client speaks telnet to it (IAC IAC for 0xFF,
 * NAWS for its window size). Read-only: the console drops the client's input, and the relay never forwards it; the
 * logout key still detaches, which the relay sees itself. The socket-pair end is read and written with blocking
 * calls, so each direction has a platform thread of its own: a blocking native call would pin a virtual thread's
 * carrier.
 */
final class ConsoleRelay {
    private static final int BUFFER = 16 * 1024;

    private final Manager manager;

    ConsoleRelay(Manager manager) {
        this.manager = manager;
    }

    void attach(Request request, Peer peer, StreamSession session) throws IOException {
        if (request.args().size() != 1) {
            session.finish(Response.error(Response.USAGE, "attach takes exactly one unit name"));
            return;
        }
        String name = request.args().get(0);
        boolean readOnly = request.flag(VerbOption.READ_ONLY.wire());
        int[] pair;
        try {
            pair = Sockets.streamPair();
        } catch (IOException e) {
            session.finish(Response.error(Response.FAILED, "cannot attach to " + name + ": " + e.getMessage()));
            return;
        }
        Optional<LoadedUnit> found = manager.reactor().call(() -> manager.get(name).map(lu -> {
            lu.console.adopt(pair[1], peer.describe() + " through attach", readOnly);
            return lu;
        }));
        if (found.isEmpty()) {
            LibC.close(pair[0]);
            LibC.close(pair[1]);
            session.finish(ManagerCommands.noSuchUnit(List.of(name)));
            return;
        }
        Audit.LOG.info("attach {}{} by {}", name, readOnly ? " (read-only)" : "", peer.describe());
        KeySpec logout = found.get().unit().console().keys().logout();
        byte[] first = (Announcements.attached(name, readOnly, logout) + "\r\n").getBytes(StandardCharsets.UTF_8);
        Relay relay = new Relay(session, pair[0], readOnly ? logout : null);
        try {
            session.out(first, 0, first.length);
        } catch (IOException e) {
            relay.end();
            relay.release();
            relay.release();
            session.abort();
            return;
        }
        Thread.ofPlatform().name("attach-input").daemon().start(relay::clientToConsole);
        Thread output = Thread.ofPlatform().name("attach-output").daemon().start(relay::consoleToClient);
        try {
            output.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            relay.end();
        }
        if (relay.clientGone) {
            session.abort();
        } else if (relay.writeFailed) {
            session.abort(); // the client went away while we wrote to it
        } else {
            session.finish(relay.detached ? detached(name) : ending(found.get()));
        }
    }

    private static Response detached(String name) {
        return Response.ok(Announcements.detached(name) + "\n");
    }

    /** The console closed the connection: the logout key, or the unit went away (removed, replaced, manager stopping). */
    private Response ending(LoadedUnit attached) {
        String name = attached.name();
        if (manager.stopping()) {
            return Response.error(Response.FAILED, "the manager is stopping, so the console of " + name
                    + " closed; attach again once it runs");
        }
        Optional<LoadedUnit> now = manager.reactor().call(() -> manager.get(name));
        if (now.isEmpty()) {
            return Response.error(Response.FAILED, "unit " + name + " was removed, so its console closed");
        }
        if (now.get() != attached) {
            return Response.error(Response.FAILED, "the console of " + name + " was replaced when its changed unit "
                    + "file was applied; attach again");
        }
        return detached(name);
    }

    /**
     * One session's two directions over the relay's end of the pair; the first to end shuts the pair down, which
     * ends the other. The fd is closed by whichever direction finishes last, so neither ever uses a closed (and
     * perhaps reused) descriptor.
     */
    private static final class Relay {
        private final StreamSession session;
        private final int fd;
        private final KeySpec readOnlyLogout;
        private final AtomicInteger users = new AtomicInteger(2);
        volatile boolean clientGone;
        volatile boolean detached;
        volatile boolean writeFailed;

        Relay(StreamSession session, int fd, KeySpec readOnlyLogout) {
            this.session = session;
            this.fd = fd;
            this.readOnlyLogout = readOnlyLogout;
        }

        /** Console output to the client, until the console closes its end or the other direction ends. */
        void consoleToClient() {
            Memory buf = new Memory(BUFFER);
            byte[] bytes = new byte[BUFFER];
            try {
                while (true) {
                    long n = LibC.read(fd, buf, BUFFER);
                    if (n < 0 && LibC.errno() == LibC.EINTR) {
                        continue;
                    }
                    if (n <= 0) {
                        return;
                    }
                    buf.read(0, bytes, 0, (int) n);
                    try {
                        session.out(bytes, 0, (int) n);
                    } catch (IOException e) {
                        writeFailed = true;
                        return;
                    }
                }
            } finally {
                end();
                release();
            }
        }

        /** The client's input to the console (read-only: looked at for the logout key only). */
        void clientToConsole() {
            InputStream in = session.input();
            byte[] buf = new byte[BUFFER];
            Memory toConsole = new Memory(BUFFER);
            TelnetDecoder decoder = readOnlyLogout != null ? new TelnetDecoder() : null;
            try {
                while (true) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n < 0) {
                        clientGone = true;
                        return;
                    }
                    if (decoder != null) {
                        if (hasKey(buf, decoder.decode(buf, 0, n), readOnlyLogout)) {
                            detached = true;
                            return;
                        }
                    } else if (!writeAll(toConsole, buf, n)) {
                        return; // the console side has closed: consoleToClient sees that too and ends the session
                    }
                }
            } finally {
                end();
                release();
            }
        }

        private boolean writeAll(Memory m, byte[] b, int len) {
            m.write(0, b, 0, len);
            for (int done = 0; done < len; ) {
                long w = LibC.write(fd, m.share(done), len - done);
                if (w < 0 && LibC.errno() == LibC.EINTR) {
                    continue;
                }
                if (w <= 0) {
                    return false;
                }
                done += (int) w;
            }
            return true;
        }

        /** Wakes both directions: reads see end-of-file, writes fail; the console sees this client go. */
        void end() {
            Sockets.shutdown(fd, Sockets.SHUT_RDWR);
        }

        void release() {
            if (users.decrementAndGet() == 0) {
                LibC.close(fd);
            }
        }

        private static boolean hasKey(byte[] buf, int len, KeySpec key) {
            for (int i = 0; i < len; i++) {
                if (key.matches(buf[i])) {
                    return true;
                }
            }
            return false;
        }
    }
}
