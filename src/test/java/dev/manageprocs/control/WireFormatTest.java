package dev.manageprocs.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    @Test
    void requestRoundTripsWithUnicodeEmptyFieldsAndBinaryFiles() throws Exception {
        byte[] content = {0, ',', ':', '9', (byte) 0xff, '\n'};
        Request r = new Request("add", List.of("", "ïoc ☃", "a,b:c"), Map.of("now", "true", "", ""),
                Map.of("x.toml", content));

        Request back = WireFormat.readRequest(new ByteArrayInputStream(WireFormat.encode(r)));

        assertEquals(r.verb(), back.verb());
        assertEquals(r.args(), back.args());
        assertEquals(r.options(), back.options());
        assertArrayEquals(content, back.files().get("x.toml"));
    }

    @Test
    void theEncodingIsTheDocumentedOne() {
        byte[] wire = WireFormat.encode(new Request("kill", List.of("ioc1"), Map.of("signal", "SIGTERM"), Map.of()));
        assertEquals("49:1:1,4:kill,1:1,4:ioc1,1:1,6:signal,7:SIGTERM,1:0,,", new String(wire, StandardCharsets.UTF_8));
        assertEquals("34:1:1,1:4,0:,19:manage-procs: nope\n,,",
                new String(WireFormat.encode(Response.error(4, "nope")), StandardCharsets.UTF_8));
    }

    @Test
    void responseRoundTrips() throws Exception {
        Response r = new Response(3, "UNIT  STATE\nioc1  STOPPED\n", "");
        assertEquals(r, WireFormat.readResponse(new ByteArrayInputStream(WireFormat.encode(r))));
    }

    @Test
    void malformedInputIsAProtocolErrorAndShortInputAnEof() {
        for (String bad : List.of("x", "01:a,", ":", "3:abc;", "5:1:1,x,", "9999999999:", "4:1:1,,")) {
            assertThrows(ProtocolException.class,
                    () -> WireFormat.readRequest(new ByteArrayInputStream(bad.getBytes(StandardCharsets.US_ASCII))),
                    bad);
        }
        for (String shortOne : List.of("", "12", "12:1:1,")) {
            assertThrows(EOFException.class, () -> WireFormat.readRequest(
                    new ByteArrayInputStream(shortOne.getBytes(StandardCharsets.US_ASCII))), shortOne);
        }
    }

    @Test
    void trailingBytesInsideAFrameAreRefused() {
        byte[] good = WireFormat.encode(Request.of("status"));
        String body = new String(good, StandardCharsets.US_ASCII);
        body = body.substring(body.indexOf(':') + 1, body.length() - 1) + "0:,";
        byte[] padded = (body.length() + ":" + body + ",").getBytes(StandardCharsets.US_ASCII);
        assertThrows(ProtocolException.class, () -> WireFormat.readRequest(new ByteArrayInputStream(padded)));
    }

    @Test
    void aStreamIsChunksThenTheFinalResponse() throws Exception {
        java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
        byte[] binary = {'a', 0, (byte) 0xff, ',', '\n'};
        wire.writeBytes(WireFormat.encodeChunk(false, binary, 0, binary.length));
        wire.writeBytes(WireFormat.encodeChunk(true, "careful\n".getBytes(StandardCharsets.UTF_8), 0, 8));
        wire.writeBytes(WireFormat.encode(Response.ok("@@@ detached from ioc1\n")));
        assertEquals("21:1:1,6:stdout,5:a", new String(wire.toByteArray(), 0, 19, StandardCharsets.ISO_8859_1),
                "the documented chunk encoding");
        List<String> chunks = new java.util.ArrayList<>();
        Response end = WireFormat.readStream(new ByteArrayInputStream(wire.toByteArray()),
                (err, bytes) -> chunks.add((err ? "err:" : "out:") + new String(bytes, StandardCharsets.ISO_8859_1)));
        assertEquals(List.of("out:a\0\u00ff,\n", "err:careful\n"), chunks);
        assertEquals(Response.ok("@@@ detached from ioc1\n"), end);
        assertThrows(EOFException.class, () -> WireFormat.readStream(new ByteArrayInputStream(
                WireFormat.encodeChunk(false, binary, 0, 1)), (err, bytes) -> { }), "a stream without its end");
    }
}
