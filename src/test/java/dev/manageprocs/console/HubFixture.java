package dev.manageprocs.console;

import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.unit.ConsoleSpec;
import dev.manageprocs.unit.Endpoint;
import dev.manageprocs.unit.KeyBindings;
import dev.manageprocs.unit.KeySpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A running hub on its own event loop, with a test target and the clients a test opened. */
final class HubFixture implements AutoCloseable {
    /** The unit-file defaults: kill ^X, toggle ^T, restart ^R, quit ^Q, logout ^D; ignore ^C^D^]. */
    static final KeyBindings KEYS = new KeyBindings(new KeySpec(0x18), new KeySpec(0x14), new KeySpec(0x12),
            new KeySpec(0x11), new KeySpec(0x04));
    static final String IGNORE = "\u0003\u0004\u001d";
    static final Endpoint ANY_PORT = new Endpoint.Tcp("tcp:127.0.0.1:0", "127.0.0.1", 0);

    final Reactor reactor = new Reactor("console-test");
    final TestTarget target;
    final ConsoleHub hub;
    final SocketDefaults defaults;
    private final List<TestClient> clients = new ArrayList<>();

    HubFixture(ConsoleSpec spec, Path runDir, boolean echo) throws IOException {
        this(spec, runDir, echo, ConsoleAccess.ofThisProcess(), Optional.empty());
    }

    /** With other access rules (a test's name service), and {@code group} as control_group in system mode. */
    HubFixture(ConsoleSpec spec, Path runDir, boolean echo, ConsoleAccess access, Optional<String> group)
            throws IOException {
        defaults = new SocketDefaults(runDir, 0600, group);
        target = new TestTarget(reactor, spec, echo);
        try {
            hub = reactor.call(() -> ConsoleHub.open(reactor, target, defaults, access));
        } catch (IllegalStateException e) {
            reactor.close();
            // Reactor.call wraps checked exceptions; the hub's user-facing IOException is the cause
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        } catch (RuntimeException e) {
            reactor.close();
            throw e;
        }
    }

    /** One control endpoint on an ephemeral loopback port, one read-only one; 64 KiB history; banner on. */
    static HubFixture tcp(Path runDir, boolean echo) throws IOException {
        return new HubFixture(spec(List.of(ANY_PORT), List.of(ANY_PORT), 64 * 1024, true), runDir, echo);
    }

    static ConsoleSpec spec(List<Endpoint> listen, List<Endpoint> logListen, long history, boolean banner) {
        return spec(listen, logListen, history, banner, Optional.empty());
    }

    static ConsoleSpec spec(List<Endpoint> listen, List<Endpoint> logListen, long history, boolean banner,
            Optional<String> logGroup) {
        return new ConsoleSpec(listen, logListen, false, logGroup, KEYS, IGNORE, history, banner);
    }

    String control() {
        return reactor.call(() -> hub.controlAddresses().get(0));
    }

    String log() {
        return reactor.call(() -> hub.logAddresses().get(0));
    }

    /** A control client that has seen its whole welcome (banner and negotiation). */
    TestClient controlClient() {
        return track(welcomed(TestClient.connect(control())));
    }

    TestClient logClient() {
        return track(welcomed(TestClient.connect(log())));
    }

    TestClient track(TestClient c) {
        clients.add(c);
        return c;
    }

    int clientCount() {
        return reactor.call(hub::clientCount);
    }

    private static TestClient welcomed(TestClient c) {
        c.awaitText(new String(Telnet.NEGOTIATION, java.nio.charset.StandardCharsets.ISO_8859_1));
        return c;
    }

    @Override
    public void close() {
        clients.forEach(TestClient::close);
        reactor.call(() -> {
            hub.close();
            return null;
        });
        reactor.close();
    }
}
