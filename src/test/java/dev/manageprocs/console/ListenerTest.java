package dev.manageprocs.console;

import dev.manageprocs.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.Sockets;
import dev.manageprocs.unit.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding endpoints: ports, unix socket files and their permissions, abstract sockets, errors. */
class ListenerTest {
    private static final String NEGOTIATION = new String(Telnet.NEGOTIATION, StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;

    private HubFixture hub(List<Endpoint> listen, List<Endpoint> logListen) throws IOException {
        return new HubFixture(HubFixture.spec(listen, logListen, 1024, true), dir, false);
    }

    private static Endpoint tcp(int port) {
        return new Endpoint.Tcp(String.valueOf(port), "127.0.0.1", port);
    }

    private static Endpoint unix(Path path, String owner, String group, Integer mode) {
        return new Endpoint.UnixPath("unix:" + path, path, Optional.ofNullable(owner), Optional.ofNullable(group),
                mode == null ? OptionalInt.empty() : OptionalInt.of(mode));
    }

    private static void assertConsoleAnswers(String address) {
        try (TestClient c = TestClient.connect(address)) {
            c.awaitText(NEGOTIATION);
        }
    }

    @Test
    void portZeroReportsTheRealPort() throws Exception {
        try (HubFixture f = hub(List.of(tcp(0)), List.of(tcp(0)))) {
            Matcher m = Pattern.compile("tcp:127\\.0\\.0\\.1:(\\d+)").matcher(f.control());
            assertTrue(m.matches(), f.control());
            assertNotEquals(0, Integer.parseInt(m.group(1)));
            assertNotEquals(f.control(), f.log());
            assertConsoleAnswers(f.control());
            assertConsoleAnswers(f.log());
        }
    }

    @Test
    void ipv6LoopbackWorks() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/net/if_inet6")), "this host has no IPv6");
        try (HubFixture f = hub(List.of(new Endpoint.Tcp("tcp:[::1]:0", "::1", 0)), List.of())) {
            assertTrue(f.control().matches("tcp:\\[::1]:\\d+"), f.control());
            TestClient c = f.controlClient();
            c.send("\u0012");
            Eventually.until(() -> f.target.restarts.get() == 1, () -> "the restart key");
            assertTrue(f.target.whos().get(0).matches("tcp:\\[::1]:\\d+ uid 0 \\(root\\)"), f.target.whos().toString());
        }
    }

    @Test
    void aPortIsBindableAgainRightAfterClose() throws Exception {
        int port;
        try (HubFixture f = hub(List.of(tcp(0)), List.of())) {
            port = Integer.parseInt(f.control().substring(f.control().lastIndexOf(':') + 1));
            // a connection the server closes first leaves TIME_WAIT behind on the port
            TestClient c = TestClient.connect(f.control());
            c.awaitText(NEGOTIATION);
            c.send("\u0004");
            c.awaitClosedByServer();
            c.close();
        }
        try (HubFixture again = hub(List.of(tcp(port)), List.of())) {
            assertEquals("tcp:127.0.0.1:" + port, again.control());
            assertConsoleAnswers(again.control());
        }
    }

    @Test
    void aPortInUseIsOneSentenceNamingEndpointUnitAndWhatToDo() throws Exception {
        try (HubFixture f = hub(List.of(tcp(0)), List.of())) {
            int port = Integer.parseInt(f.control().substring(f.control().lastIndexOf(':') + 1));
            IOException e = assertThrows(IOException.class, () -> hub(List.of(tcp(port)), List.of()));
            assertEquals("cannot listen on tcp:127.0.0.1:" + port + " for unit ioc1: Address already in use; "
                    + "choose another port", e.getMessage());
        }
    }

    @Test
    void aFailedSecondEndpointLeavesNothingBehind() throws Exception {
        Path sock = dir.resolve("first.sock");
        try (HubFixture f = hub(List.of(tcp(0)), List.of())) {
            int port = Integer.parseInt(f.control().substring(f.control().lastIndexOf(':') + 1));
            assertThrows(IOException.class, () -> hub(List.of(unix(sock, null, null, null), tcp(port)), List.of()));
            assertFalse(Files.exists(sock));
        }
    }

    @Test
    void nonLoopbackTcpIsRefusedUnlessRemoteIsAllowed() {
        Endpoint any = new Endpoint.Tcp("tcp:0.0.0.0:0", "0.0.0.0", 0);
        IOException e = assertThrows(IOException.class, () -> hub(List.of(any), List.of()));
        assertEquals("refusing to listen on tcp:0.0.0.0:0 for unit ioc1: the address is not loopback; "
                + "set allow_remote = true in [console] to accept remote connections", e.getMessage());
    }

    @Test
    void unixDefaultIsCreatedWithTheDefaultModeAndRemovedOnClose() throws Exception {
        Path run = dir.resolve("run").resolve("ioc1");
        Endpoint def = new Endpoint.UnixDefault("unix:default");
        try (HubFixture f = new HubFixture(HubFixture.spec(List.of(def), List.of(def), 0, true), run, false)) {
            assertEquals("unix:" + run.resolve("control"), f.control());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(run.resolve("control"))));
            assertConsoleAnswers(f.control());
            assertConsoleAnswers(f.log());
        }
        assertFalse(Files.exists(run.resolve("control")));
    }

    @Test
    void unixOwnerGroupAndModeAreApplied() throws Exception {
        Path sock = dir.resolve("owned.sock");
        try (HubFixture f = hub(List.of(unix(sock, "nobody", "nogroup", 0660)), List.of())) {
            PosixFileAttributes a = Files.readAttributes(sock, PosixFileAttributes.class);
            assertEquals("nobody", a.owner().getName());
            assertEquals("nogroup", a.group().getName());
            assertEquals("rw-rw----", PosixFilePermissions.toString(a.permissions()));
            assertConsoleAnswers(f.control());
        }
    }

    @Test
    void anUnknownOwnerIsOneSentenceAndLeavesNoFile() {
        Path sock = dir.resolve("bad-owner.sock");
        IOException e = assertThrows(IOException.class, () -> hub(List.of(unix(sock, "no-such-user-xyz", null, null)), List.of()));
        assertEquals("cannot give unix:" + sock + " of unit ioc1 the owner no-such-user-xyz: there is no such user; "
                + "create the user or fix the endpoint", e.getMessage());
        assertFalse(Files.exists(sock));
    }

    @Test
    void aStaleSocketLeftByACrashIsReplaced() throws Exception {
        Path sock = dir.resolve("stale.sock");
        Sockets.Address addr = Sockets.unixPath(sock.toString()).orElseThrow();
        int fd = Sockets.socket(Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0);
        assertEquals(0, Sockets.bind(fd, addr.memory(), addr.length()));
        LibC.close(fd); // the file stays, nobody listens: what a crash leaves
        assertTrue(Files.exists(sock));
        try (HubFixture f = hub(List.of(unix(sock, null, null, null)), List.of())) {
            assertConsoleAnswers(f.control());
        }
    }

    @Test
    void aLiveSocketOrAnOrdinaryFileIsNeverReplaced() throws Exception {
        Path sock = dir.resolve("live.sock");
        try (HubFixture f = hub(List.of(unix(sock, null, null, null)), List.of())) {
            IOException e = assertThrows(IOException.class, () -> hub(List.of(unix(sock, null, null, null)), List.of()));
            assertEquals("cannot listen on unix:" + sock + " for unit ioc1: another process is listening on it; "
                    + "stop that process or choose another path", e.getMessage());
            assertConsoleAnswers(f.control());
        }
        Path file = dir.resolve("file");
        Files.writeString(file, "precious");
        IOException e = assertThrows(IOException.class, () -> hub(List.of(unix(file, null, null, null)), List.of()));
        assertEquals("cannot listen on unix:" + file + " for unit ioc1: the file exists and is not a socket; "
                + "remove it or choose another path", e.getMessage());
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void abstractSocketsWork() throws Exception {
        String name = "manage-procs-test-" + UUID.randomUUID();
        Endpoint abs = new Endpoint.UnixAbstract("unix:@" + name, name);
        try (HubFixture f = hub(List.of(abs), List.of())) {
            assertEquals("unix:@" + name, f.control());
            TestClient c = f.controlClient();
            c.send("x");
            Eventually.until(() -> f.target.inputSize() == 1, () -> "input over the abstract socket");
            c.send("\u0018");
            Eventually.until(() -> f.target.kills.get() == 1, () -> "the kill key");
            assertEquals(List.of("unix:@" + name + " uid 0 (root)"), f.target.whos());
        }
    }

    @Test
    void tcpClientsAreNamedByAddressPortAndTheUserThatOwnsThePeerSocket() throws Exception {
        try (HubFixture f = hub(List.of(tcp(0)), List.of())) {
            TestClient c = f.controlClient();
            c.send("\u0012");
            Eventually.until(() -> f.target.restarts.get() == 1, () -> "the restart key");
            assertTrue(f.target.whos().get(0).matches("tcp:127\\.0\\.0\\.1:\\d+ uid 0 \\(root\\)"), f.target.whos().toString());
        }
    }
}
