package dev.manageprocs.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.control.ProtocolException;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.WireFormat;
import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket fed what no client sends: random bytes, every prefix of requests that would
 * change something, oversized and malformed ones. Each must get an error reply (exit 2, one sentence)
 * and none may touch a unit or a unit file.
 */
class ControlFuzzIT {
    private static final long SEED = 8;
    private static final String SLEEPER = """
            [process]
            command = ["sleep", "100000"]
            [restart]
            autostart = %s
            """;

    @TempDir
    Path tmp;

    @Test
    void randomTruncatedAndOversizedRequestsGetErrorRepliesAndChangeNothing() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("a", SLEEPER.formatted(true));
            m.writeUnit("b", SLEEPER.formatted(true));
            m.writeUnit("c", SLEEPER.formatted(false));
            assertEquals(0, m.cli("reload").exit());
            ControlSocket control = new ControlSocket(m.runDir.resolve("control.sock"));
            Eventually.await("a and b to run", ManagerProcess.WAIT, () -> control.units().values().stream()
                    .filter(u -> u.state().equals("RUNNING")).count() == 2);
            var before = control.units();
            List<Path> filesBefore = unitFiles(m.unitDir);

            List<byte[]> requests = new ArrayList<>();
            Random random = new Random(SEED);
            for (int i = 0; i < 300; i++) {
                requests.add(randomBytes(random));
            }
            for (Request r : changingRequests()) {
                byte[] whole = WireFormat.encode(r);
                for (int cut = 0; cut < whole.length; cut++) {
                    requests.add(Arrays.copyOf(whole, cut));
                }
            }
            requests.addAll(malformed());

            int replies = 0;
            for (byte[] request : requests) {
                byte[] reply = control.sendRaw(request);
                Response r = parse(reply, request);
                assertEquals(Response.USAGE, r.exitCode(), () -> "not a usage error for " + show(request) + ": " + r);
                assertTrue(r.err().startsWith("manage-procs: ") && r.err().endsWith("\n")
                        && r.err().indexOf('\n') == r.err().length() - 1 && r.out().isEmpty(),
                        () -> "not one error sentence for " + show(request) + ": " + r);
                replies++;
            }
            System.out.printf("ControlFuzzIT: %d bad requests, %d error replies (seed %d)%n", requests.size(), replies, SEED);

            assertEquals(before, control.units(), "a bad request changed a unit");
            assertEquals(filesBefore, unitFiles(m.unitDir), "a bad request changed the unit files");
            assertTrue(m.alive());
            String log = m.managerOutput();
            assertTrue(!log.contains("Exception") && !log.contains("ERROR"), () -> "the manager logged errors:\n" + log);
        }
    }

    /** Requests that would stop, start, kill, remove, add or reload if they arrived whole. */
    private static List<Request> changingRequests() {
        return List.of(
                Request.of("stop", "a"),
                new Request("restart", List.of("*"), Map.of("all", "true"), Map.of()),
                Request.of("start", "c"),
                new Request("kill", List.of("b"), Map.of("signal", "SIGKILL"), Map.of()),
                Request.of("remove", "a"),
                new Request("add", List.of("d.toml"), Map.of("now", "true"),
                        Map.of("d.toml", SLEEPER.formatted(true).getBytes(StandardCharsets.UTF_8))),
                Request.of("reload"));
    }

    private static List<byte[]> malformed() {
        List<byte[]> bad = new ArrayList<>();
        bad.add(ascii("999999999:"));                                   // announces far more than 1 MiB
        bad.add(ascii("0000001:x,"));                                    // leading zeros
        bad.add(ascii("1234567890:"));                                   // too many digits
        bad.add(ascii("5:hello,"));                                      // not made of fields
        bad.add(frame("1:2,4:stop,1:1,1:a,1:0,1:0,"));                   // protocol version 2
        bad.add(frame("1:1,4:stop,6:999999,1:a,1:0,1:0,"));             // more args than sent
        bad.add(frame("1:1,4:stop,2:-1,1:0,1:0,"));                      // negative count
        bad.add(frame("1:1,4:stop,1:x,1:0,1:0,"));                       // count not a number
        bad.add(frame("1:1,4:stop,1:1,1:a,1:0,1:0,3:xyz,"));             // trailing field
        bad.add(frame("1:1,7:explode,1:0,1:0,1:0,"));                    // no such verb
        bad.add(frame("1:1,4:st\u00ffp,1:0,1:0,1:0,"));                 // not UTF-8 (0xff)
        byte[] big = new byte[(1 << 20) + 4096];                          // a 1 MiB + 4 KiB payload, all of it sent
        Arrays.fill(big, (byte) 'x');
        byte[] prefix = ascii(big.length + ":");
        byte[] oversized = Arrays.copyOf(prefix, prefix.length + big.length + 1);
        System.arraycopy(big, 0, oversized, prefix.length, big.length);
        oversized[oversized.length - 1] = ',';
        bad.add(oversized);
        byte[] hugeFile = new byte[WireFormat.MAX_FILE + 1];              // a unit file over 256 KiB
        Arrays.fill(hugeFile, (byte) '#');
        bad.add(WireFormat.encode(new Request("add", List.of("e.toml"), Map.of(), Map.of("e.toml", hugeFile))));
        // whole, well-formed requests with an option their verb does not have: a misspelt dry run must not remove
        bad.add(WireFormat.encode(new Request("remove", List.of("a"), Map.of("dry-runn", "true"), Map.of())));
        bad.add(WireFormat.encode(new Request("stop", List.of("a"), Map.of("nope", "true"), Map.of())));
        return bad;
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(2048)];
        random.nextBytes(b);
        if (b.length > 4 && random.nextBoolean()) { // past the first check: a plausible length prefix
            byte[] head = ascii((b.length - 4) + ":");
            System.arraycopy(head, 0, b, 0, Math.min(head.length, b.length));
        }
        return b;
    }

    private static byte[] frame(String body) {
        byte[] payload = body.getBytes(StandardCharsets.ISO_8859_1);
        byte[] head = ascii(payload.length + ":");
        byte[] out = Arrays.copyOf(head, head.length + payload.length + 1);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        out[out.length - 1] = ',';
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static Response parse(byte[] reply, byte[] request) {
        try {
            return WireFormat.readResponse(new ByteArrayInputStream(reply));
        } catch (IOException | ProtocolException e) {
            throw new AssertionError("no reply in the control format for " + show(request) + ": " + e.getMessage()
                    + " (" + reply.length + " bytes: " + new String(reply, StandardCharsets.ISO_8859_1) + ")");
        }
    }

    private static String show(byte[] request) {
        String s = new String(request, 0, Math.min(request.length, 80), StandardCharsets.ISO_8859_1);
        return request.length + " bytes \"" + s.replaceAll("[^\\x20-\\x7e]", "?") + (request.length > 80 ? "...\"" : "\"");
    }

    private static List<Path> unitFiles(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
