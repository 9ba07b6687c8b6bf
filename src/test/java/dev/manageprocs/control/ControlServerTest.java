package dev.manageprocs.control;

import dev.manageprocs.access.Peer;
import dev.manageprocs.access.Authorizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    private static final Ping PING = new Ping(ProcessHandle.current().pid(), "test", 0);
    @TempDir
    Path dir;

    private final List<Request> handled = Collections.synchronizedList(new ArrayList<>());
    private final List<Peer> peers = Collections.synchronizedList(new ArrayList<>());
    private final List<ControlServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(ControlServer::close);
    }

    private ControlServer server(Path socket) throws IOException {
        ControlServer s = new ControlServer(socket, 0600, Optional.empty(),
                new Authorizer(0, "manage-procs"), (req, peer) -> {
                    handled.add(req);
                    peers.add(peer);
                    return new Response(3, "did " + req.verb() + " " + String.join(",", req.args()) + "\n",
                            "note\n");
                }, PING, Duration.ofMillis(300));
        servers.add(s);
        s.start();
        return s;
    }

    @Test
    void aStreamingVerbGetsTheClientsBytesAndSendsChunksForAsLongAsItLasts() throws Exception {
        Path socket = dir.resolve("control.sock");
        ControlServer s = new ControlServer(socket, 0600, Optional.empty(), new Authorizer(0, "manage-procs"),
                new ControlHandler() {
                    @Override
                    public Response handle(Request request, Peer peer) {
                        return Response.ok("ordinary\n");
                    }

                    @Override
                    public boolean streams(String verb) {
                        return verb.equals("shout");
                    }

                    @Override
                    public void stream(Request request, Peer peer, StreamSession session) throws IOException {
                        session.err("started\n");
                        byte[] buf = new byte[64];
                        for (int n; (n = session.input().read(buf)) > 0; ) {
                            String text = new String(buf, 0, n, StandardCharsets.UTF_8);
                            byte[] loud = text.toUpperCase().getBytes(StandardCharsets.UTF_8);
                            session.out(loud, 0, loud.length);
                            if (text.contains("bye")) {
                                session.finish(new Response(0, "", "done\n"));
                                return;
                            }
                        }
                    }
                }, PING, Duration.ofMillis(300));
        servers.add(s);
        s.start();
        assertEquals(Response.ok("ordinary\n"), roundTrip(socket), "other verbs are unchanged");

        StringBuilder seen = new StringBuilder();
        try (StreamCall call = new ControlClient(new SocketPath(socket, false)).stream(Request.of("shout"))) {
            Thread.ofVirtual().start(() -> {
                try {
                    byte[] hello = "hello ".getBytes(StandardCharsets.UTF_8);
                    call.send(hello, 0, hello.length);
                    Thread.sleep(500); // longer than the server's request deadline: streams have none
                    byte[] bye = "bye".getBytes(StandardCharsets.UTF_8);
                    call.send(bye, 0, bye.length);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Response end = call.read((err, bytes) -> seen.append(err ? "err:" : "").append(new String(bytes,
                    StandardCharsets.UTF_8)));
            assertEquals(new Response(0, "", "done\n"), end);
        }
        assertEquals("err:started\nHELLO BYE", seen.toString());
    }

    private Response roundTrip(Path socket) {
        return new ControlClient(new SocketPath(socket, false)).send(Request.of("status", "ioc1", "ioc2"));
    }

    @Test
    void requestAndResponseCrossTheSocketIntact() throws Exception {
        Path socket = dir.resolve("control.sock");
        server(socket);
        byte[] unit = "[process]\ncommand = [\"./st.cmd\"]\n\u00e9\0\u00ff".getBytes(StandardCharsets.UTF_8);
        Request sent = new Request("add", List.of("ioc1.toml"), Map.of("now", "true", "signal", "SIGTERM"),
                Map.of("ioc1.toml", unit));

        Response r = new ControlClient(new SocketPath(socket, false)).send(sent);

        assertEquals(new Response(3, "did add ioc1.toml\n", "note\n"), r);
        Request got = handled.get(0);
        assertEquals(sent.verb(), got.verb());
        assertEquals(sent.args(), got.args());
        assertEquals(sent.options(), got.options());
        assertArrayEquals(unit, got.files().get("ioc1.toml"));
        assertEquals(0, peers.get(0).uid()); // these tests run as root
        assertEquals("root", peers.get(0).user());
    }

    @Test
    void garbageGetsAnErrorReplyAndTheServerCarriesOn() throws Exception {
        Path socket = dir.resolve("control.sock");
        server(socket);

        Response r = raw(socket, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), true);

        assertEquals(2, r.exitCode());
        assertEquals("manage-procs: the request is not in the manage-procs control format\n", r.err());
        assertEquals(3, roundTrip(socket).exitCode());
        assertEquals(1, handled.size());
    }

    @Test
    void malformedFieldsInsideAWellFramedRequestAreRefused() throws Exception {
        Path socket = dir.resolve("control.sock");
        server(socket);
        byte[] body = "1:1,6:status,1:x,".getBytes(StandardCharsets.US_ASCII); // count "x" is no number
        byte[] frame = (body.length + ":" + new String(body, StandardCharsets.US_ASCII) + ",")
                .getBytes(StandardCharsets.US_ASCII);

        Response r = raw(socket, frame, true);

        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not in the manage-procs control format"), r.err());
        assertTrue(handled.isEmpty());
    }

    @Test
    void truncatedRequestGetsAnErrorReply() throws Exception {
        Path socket = dir.resolve("control.sock");
        server(socket);

        Response r = raw(socket, "100:1:1,6:sta".getBytes(StandardCharsets.US_ASCII), true);

        assertEquals(2, r.exitCode());
        assertEquals("manage-procs: the request was cut short (the request ended early); send one whole request "
                + "right after connecting\n", r.err());
        assertEquals(3, roundTrip(socket).exitCode());
    }

    @Test
    void oversizedRequestIsRefusedBeforeItIsRead() throws Exception {
        Path socket = dir.resolve("control.sock");
        server(socket);

        Response r = raw(socket, "2000000:".getBytes(StandardCharsets.US_ASCII), false);

        assertEquals(2, r.exitCode());
        assertEquals("manage-procs: the request is 2000000 bytes, more than the limit of 1 MiB\n", r.err());
        assertEquals(3, roundTrip(socket).exitCode());
    }

    @Test
    void oversizedUnitFileIsRefusedEvenWithinTheRequestLimit() throws Exception {
        Path socket = dir.resolve("control.sock");
        server(socket);
        Request big = new Request("add", List.of("big.toml"), Map.of(), Map.of("big.toml", new byte[300 << 10]));

        Response r = new ControlClient(new SocketPath(socket, false)).send(big);

        assertEquals(2, r.exitCode());
        assertEquals("manage-procs: unit file 'big.toml' is 300 KiB, more than the limit of 256 KiB\n", r.err());
        assertTrue(handled.isEmpty());
    }

    @Test
    void aClientThatSendsNothingTimesOutWithAReply() throws Exception {
        Path socket = dir.resolve("control.sock");
        server(socket);

        Response r = raw(socket, new byte[0], false);

        assertEquals(2, r.exitCode());
        assertEquals("manage-procs: no complete request arrived within 300 ms; send one whole request right after "
                + "connecting\n", r.err());
        assertEquals(3, roundTrip(socket).exitCode());
    }

    @Test
    void anotherClientProtocolVersionIsToldWhatToDo() throws Exception {
        Path socket = dir.resolve("control.sock");
        server(socket);
        byte[] body = "1:2,6:status,".getBytes(StandardCharsets.US_ASCII);

        Response r = raw(socket, (body.length + ":" + new String(body, StandardCharsets.US_ASCII) + ",")
                .getBytes(StandardCharsets.US_ASCII), true);

        assertEquals(2, r.exitCode());
        assertEquals("manage-procs: the client speaks control protocol '2' but this manager speaks version 1; "
                + "use the manage-procs command installed with the running manager\n", r.err());
    }

    @Test
    void aSecondManagerOnALiveSocketRefusesToStartAndNamesTheFirst() throws Exception {
        Path socket = dir.resolve("control.sock");
        server(socket);

        IOException e = assertThrows(IOException.class, () -> server(socket));

        assertEquals("another manager is already running on " + socket + " (pid " + ProcessHandle.current().pid()
                + "); stop it first or give this one another control_socket", e.getMessage());
        assertEquals(3, roundTrip(socket).exitCode()); // the first one is untouched
    }

    @Test
    void aStaleSocketFileLeftByACrashIsReplaced() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket));
        } // closing a unix server channel leaves its file behind, as a crash does
        assertTrue(Files.exists(socket));

        server(socket);

        assertEquals(3, roundTrip(socket).exitCode());
    }

    @Test
    void somethingThatIsNotASocketIsNeverRemoved() throws Exception {
        Path socket = dir.resolve("control.sock");
        Files.writeString(socket, "precious");

        IOException e = assertThrows(IOException.class, () -> server(socket));

        assertEquals(socket + " exists and is not a socket; remove it or set another control_socket in "
                + "manager.toml", e.getMessage());
        assertEquals("precious", Files.readString(socket));
    }

    @Test
    void closeStopsAcceptingAndRemovesTheSocketFile() throws Exception {
        Path socket = dir.resolve("sub/control.sock");
        ControlServer s = server(socket);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

        s.close();

        assertFalse(Files.exists(socket));
        Response r = roundTrip(socket);
        assertEquals(1, r.exitCode());
        assertEquals("manage-procs: no manager is running on " + socket + "; start one with 'manage-procs daemon' "
                + "(or 'systemctl --user start manage-procs')\n", r.err());
    }

    @Test
    void systemModeSocketIsGroupReadableAndOwnedByTheControlGroup() throws Exception {
        Path socket = dir.resolve("control.sock");
        ControlServer s = new ControlServer(socket, 0660, Optional.of("nogroup"), new Authorizer(0, "nogroup"),
                (req, peer) -> Response.ok(""), PING);
        servers.add(s);
        s.start();

        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("nogroup", Files.getAttribute(socket, "posix:group").toString());
    }

    @Test
    void pingIsAnsweredByTheServerItself() throws Exception {
        Path socket = dir.resolve("control.sock");
        server(socket);

        Response r = new ControlClient(new SocketPath(socket, false)).send(Request.of("ping"));

        assertEquals(Response.ok("manage-procs manager pid " + ProcessHandle.current().pid() + " version test generation 0\n"), r);
        assertEquals(Optional.of(PING), Ping.parse(r.out()));
        assertTrue(handled.isEmpty());
    }

    /** Sends raw bytes, optionally half-closes, and reads the reply. */
    private static Response raw(Path socket, byte[] bytes, boolean shutdownOutput) throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (shutdownOutput) {
                ch.shutdownOutput();
            }
            return WireFormat.readResponse(Channels.newInputStream(ch));
        }
    }
}
