package dev.manageprocs.manager;

import dev.manageprocs.console.TelnetDecoder;
import dev.manageprocs.access.Peer;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.StreamSession;
import dev.manageprocs.unit.KeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code attach} over the control socket: the manager connects to the unit's own console as one more
 * client (a JDK socket, on this request's virtual thread, never on the event loop) and copies bytes
 * both ways until either side ends. So attach is allowed exactly by the control-socket rules, also when
 * the console socket itself is root-only or TCP, and the console needs no second kind of client.
 *
 * <p>The relay passes the console's telnet stream as it is; the attach client speaks telnet to it (IAC
 * IAC for 0xFF, NAWS for its window size). Read-only: the unit's first read-only endpoint when it has
 * one (else its control endpoint), and the client's input is never forwarded; its logout key still
 * detaches, which the relay sees itself.
 */
final class ConsoleRelay {
    private static final Logger audit = LoggerFactory.getLogger("dev.manageprocs.audit");
    private static final int BUFFER = 16 * 1024;

    private final Manager manager;

    ConsoleRelay(Manager manager) {
        this.manager = manager;
    }

    /** What attach needs of a unit, read on the event loop. */
    private record Console(LoadedUnit unit, List<String> addresses, KeySpec logout) {
    }

    void attach(Request request, Peer peer, StreamSession session) throws IOException {
        if (request.args().size() != 1) {
            session.finish(Response.error(Response.USAGE, "attach takes exactly one unit name"));
            return;
        }
        String name = request.args().get(0);
        boolean readOnly = request.flag("read-only");
        Optional<Console> found = manager.reactor().call(() -> manager.get(name).map(lu -> {
            List<String> addresses = new ArrayList<>(readOnly ? lu.console.logAddresses() : List.of());
            addresses.addAll(lu.console.controlAddresses());
            return new Console(lu, addresses, lu.unit().console().keys().logout());
        }));
        if (found.isEmpty()) {
            session.finish(ManagerCommands.noSuchUnit(List.of(name)));
            return;
        }
        Console c = found.get();
        SocketChannel console;
        try {
            console = connect(name, c.addresses());
        } catch (IOException e) {
            session.finish(Response.error(Response.FAILED, e.getMessage()));
            return;
        }
        audit.info("attach {}{} by {}", name, readOnly ? " (read-only)" : "", peer.describe());
        try (console) {
            String how = c.logout().enabled() ? c.logout() + " detaches"
                    : "no logout key is set (keys.logout), so end this client to detach";
            byte[] first = ("@@@ attached to " + name + (readOnly ? " (read-only)" : "") + " — " + how + "\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            session.out(first, 0, first.length);
            Relay relay = new Relay(session, console, readOnly ? c.logout() : null);
            // the input side ends by itself: at the client's end, or when the server closes the connection after us
            Thread.ofVirtual().name("attach-input").start(relay::clientToConsole);
            relay.consoleToClient();
            console.close();
            if (!relay.clientGone) {
                session.finish(relay.detached ? detached(name) : ending(c.unit()));
            }
        } catch (IOException e) {
            session.abort(); // the client went away while we wrote to it
        }
    }

    /** The unit's first console endpoint attach can reach (a unix path or TCP; not an abstract name). */
    private static SocketChannel connect(String name, List<String> addresses) throws IOException {
        IOException last = null;
        for (String a : addresses) {
            SocketAddress address;
            if (a.startsWith("unix:/")) {
                address = UnixDomainSocketAddress.of(Path.of(a.substring("unix:".length())));
            } else if (a.startsWith("tcp:")) {
                int colon = a.lastIndexOf(':');
                String host = a.substring("tcp:".length(), colon).replace("[", "").replace("]", "");
                address = new InetSocketAddress(host, Integer.parseInt(a.substring(colon + 1)));
            } else {
                continue;
            }
            try {
                return SocketChannel.open(address);
            } catch (IOException e) {
                last = new IOException("cannot reach the console of unit " + name + " at " + a + " (" + e.getMessage()
                        + "); the manager's log may say why", e);
            }
        }
        throw last != null ? last : new IOException("unit " + name + " has no console endpoint attach can use "
                + "(listen = " + addresses + "); add \"unix:default\" to listen in its [console] table");
    }

    private static Response detached(String name) {
        return Response.ok("@@@ detached from " + name + "\n");
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

    /** One session's two directions; the first to end ends both. */
    private static final class Relay {
        private final StreamSession session;
        private final SocketChannel console;
        private final KeySpec readOnlyLogout;
        volatile boolean clientGone;
        volatile boolean detached;

        Relay(StreamSession session, SocketChannel console, KeySpec readOnlyLogout) {
            this.session = session;
            this.console = console;
            this.readOnlyLogout = readOnlyLogout;
        }

        void consoleToClient() throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(BUFFER);
            while (true) {
                buf.clear();
                int n;
                try {
                    n = console.read(buf);
                } catch (IOException e) {
                    return; // closed by the other direction, or the console broke the connection
                }
                if (n < 0) {
                    return;
                }
                session.out(buf.array(), 0, n);
            }
        }

        /** The client's input to the console (read-only: looked at for the logout key only). */
        void clientToConsole() {
            InputStream in = session.input();
            byte[] buf = new byte[BUFFER];
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
                    if (decoder == null) {
                        ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                        while (b.hasRemaining()) {
                            console.write(b);
                        }
                    } else if (hasKey(buf, decoder.decode(buf, 0, n), readOnlyLogout)) {
                        detached = true;
                        return;
                    }
                }
            } catch (IOException e) {
                // the console side has closed: consoleToClient sees that too and ends the session
            } finally {
                closeQuietly(console);
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

        private static void closeQuietly(SocketChannel ch) {
            try {
                ch.close();
            } catch (IOException e) {
                // ending the session anyway
            }
        }
    }
}
