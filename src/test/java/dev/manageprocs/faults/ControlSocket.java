package dev.manageprocs.faults;

import dev.manageprocs.control.ProtocolException;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manager's control socket spoken directly (docs/control-protocol.md): many requests in a test
 * without starting a CLI JVM for each, and raw bytes that no client would send.
 */
final class ControlSocket {
    private static final Pattern UNIT = Pattern.compile(
            "\"name\": ?\"([^\"]+)\", ?\"state\": ?\"(\\w+)\", ?\"pid\": ?(\\d+|null).*?\"restarts\": ?(\\d+)");

    /** One unit's line of status --json, as far as these tests care. */
    record UnitState(String state, String pid, int restarts) {
    }

    private final Path socket;

    ControlSocket(Path socket) {
        this.socket = socket;
    }

    Response send(Request request) throws IOException {
        byte[] reply = sendRaw(WireFormat.encode(request));
        try {
            return WireFormat.readResponse(new ByteArrayInputStream(reply));
        } catch (ProtocolException e) {
            throw new IOException("the manager's reply is not in the control format: " + e.getMessage(), e);
        }
    }

    /** Sends bytes, half-closes, and returns everything the manager answers until it closes. */
    byte[] sendRaw(byte[] bytes) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap(bytes);
            try {
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                ch.shutdownOutput();
            } catch (IOException refusedEarly) {
                // an oversized request is answered (and the connection closed) before it is all sent
            }
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            try {
                while (ch.read(in.clear()) > 0) {
                    reply.write(in.array(), 0, in.position());
                }
            } catch (IOException reset) {
                // the manager closed with unread input: what arrived is the reply
            }
            return reply.toByteArray();
        }
    }

    /** name -> state, pid and restarts, from status --json (unchecked: tests poll it in lambdas). */
    Map<String, UnitState> units() {
        Response r;
        try {
            r = send(new Request("status", List.of(), Map.of("json", "true"), Map.of()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (r.exitCode() != Response.OK) {
            throw new IllegalStateException("status failed: " + r);
        }
        Map<String, UnitState> units = new LinkedHashMap<>();
        Matcher m = UNIT.matcher(r.out());
        while (m.find()) {
            units.put(m.group(1), new UnitState(m.group(2), m.group(3), Integer.parseInt(m.group(4))));
        }
        return units;
    }
}
