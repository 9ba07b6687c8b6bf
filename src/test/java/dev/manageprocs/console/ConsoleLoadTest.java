package dev.manageprocs.console;

import dev.manageprocs.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stalled clients, many clients and hostile input. */
class ConsoleLoadTest {
    private static final byte[] NEGOTIATION = Telnet.NEGOTIATION;

    @TempDir
    Path dir;

    @Test
    void aStalledClientNeverHoldsUpTheOthersAndMemoryStaysBounded() throws Exception {
        int total = 20 * 1024 * 1024;
        int chunk = 16 * 1024;
        int window = 2 * 1024 * 1024;
        try (HubFixture f = new HubFixture(HubFixture.spec(List.of(HubFixture.ANY_PORT), List.of(), 0, false), dir, false)) {
            TestClient stalled = f.track(TestClient.connect(f.control(), 4096, false));
            TestClient fast = f.track(TestClient.connect(f.control()));
            Eventually.until(() -> f.clientCount() == 2, () -> "both clients");
            byte[] data = new byte[total];
            for (int i = 0; i < total; i++) {
                data[i] = (byte) (i % 251); // never 0xFF, so the wire bytes are the data bytes
            }
            long maxBuffered = 0;
            for (int off = 0; off < total; off += chunk) {
                long pushed = off;
                // a child producing as fast as the fast client reads (what a pty would allow it)
                Eventually.until(() -> fast.count() >= NEGOTIATION.length + pushed - window, () -> "the fast client to keep up");
                f.target.push(Arrays.copyOfRange(data, off, off + chunk));
                if ((off / chunk) % 64 == 0) {
                    maxBuffered = Math.max(maxBuffered, f.reactor.call(f.hub::bufferedBytes));
                }
            }
            Eventually.until(() -> fast.count() == NEGOTIATION.length + total, () -> "every byte at the fast client, got "
                    + fast.count());
            byte[] got = fast.bytes();
            assertArrayEquals(NEGOTIATION, Arrays.copyOf(got, NEGOTIATION.length));
            assertArrayEquals(data, Arrays.copyOfRange(got, NEGOTIATION.length, got.length));
            // one queue limit (8 MiB with no history) for the stalled client; the fast one stays within its window
            assertTrue(maxBuffered <= 8 * 1024 * 1024 + window + 64 * 1024, "buffered " + maxBuffered);

            // once it reads again it learns what it missed, then gets live output
            stalled.startReading();
            stalled.awaitText(" bytes of output were dropped because this client was not reading\r\n");
            f.target.push("after the flood\r\n");
            stalled.awaitText("after the flood\r\n");
            String text = stalled.text();
            Matcher m = Pattern.compile("\r\n@@@ (\\d+) bytes of output were dropped because this client was not reading\r\n")
                    .matcher(text);
            assertTrue(m.find(), "the dropped notice");
            int before = m.start() - NEGOTIATION.length;
            assertEquals(total, before + Long.parseLong(m.group(1)), "received + dropped");
            assertArrayEquals(Arrays.copyOf(data, before),
                    text.substring(NEGOTIATION.length, m.start()).getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("after the flood\r\n", text.substring(m.end()));
            assertEquals(0, f.reactor.call(f.hub::bufferedBytes));
        }
    }

    @Test
    void twoHundredClientsOnOneUnit() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            List<TestClient> clients = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                clients.add(i % 4 == 3 ? f.logClient() : f.controlClient());
            }
            assertEquals(200, f.clientCount());
            // the last control client (index 198) was preceded by 149 control and 49 read-only clients
            assertTrue(clients.get(198).text().contains("149 user(s) and 49 logger(s) connected (plus you)"),
                    clients.get(198).text());
            for (int i = 0; i < 100; i++) {
                f.target.push("line " + i + "\r\n");
            }
            for (TestClient c : clients) {
                c.awaitText("line 99\r\n");
            }
            for (TestClient c : clients) {
                c.send("k");
            }
            Eventually.until(() -> f.target.inputSize() == 150, () -> "one byte from each control client, got "
                    + f.target.inputSize());
            for (TestClient c : clients) {
                c.close();
            }
            Eventually.until(() -> f.clientCount() == 0, () -> "every client gone");
        }
    }

    @Test
    void fuzzedTelnetAndKeyInputReachesTheChildExactly() throws Exception {
        Random rnd = new Random(20240611);
        int[] keys = {0x18, 0x14, 0x12, 0x11}; // kill, toggle, restart, quit (logout would end the session)
        int[] pressed = new int[4];
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int s = 0; s < 10_000; s++) {
            int atoms = rnd.nextInt(12);
            for (int a = 0; a < atoms; a++) {
                switch (rnd.nextInt(9)) {
                    case 0, 1, 2 -> {
                        int b = dataByte(rnd);
                        wire.write(b);
                        expected.write(b);
                    }
                    case 3 -> {
                        int k = rnd.nextInt(4);
                        pressed[k]++;
                        wire.write(keys[k]);
                    }
                    case 4 -> wire.write(rnd.nextBoolean() ? 0x03 : 0x1d); // ignored
                    case 5 -> {
                        wire.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff});
                        expected.write(0xff);
                    }
                    case 6 -> {
                        wire.writeBytes(new byte[] {'\r', 0});
                        expected.write('\r');
                    }
                    case 7 -> wire.writeBytes(rnd.nextBoolean()
                            ? new byte[] {(byte) 0xff, (byte) (0xfb + rnd.nextInt(4)), (byte) rnd.nextInt(256)}
                            : new byte[] {(byte) 0xff, (byte) (0xf0 + rnd.nextInt(10))});
                    default -> {
                        wire.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfa, (byte) rnd.nextInt(255)}); // option: not IAC
                        for (int p = rnd.nextInt(6); p > 0; p--) {
                            int b = rnd.nextInt(256);
                            wire.write(b);
                            if (b == 0xff) {
                                wire.write(0xff);
                            }
                        }
                        wire.writeBytes(new byte[] {(byte) 0xff, (byte) 0xf0});
                    }
                }
            }
        }
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            TestClient c = f.controlClient();
            byte[] all = wire.toByteArray();
            for (int off = 0; off < all.length; ) {
                int n = Math.min(all.length - off, 1 + rnd.nextInt(300));
                c.send(Arrays.copyOfRange(all, off, off + n));
                off += n;
            }
            byte[] want = expected.toByteArray();
            Eventually.until(() -> f.target.inputSize() >= want.length
                    && f.target.kills.get() + f.target.toggles.get() + f.target.restarts.get() + f.target.quits.get()
                    == pressed[0] + pressed[1] + pressed[2] + pressed[3],
                    () -> "all input: " + f.target.inputSize() + " of " + want.length);
            assertArrayEquals(want, f.target.input());
            assertEquals(List.of(pressed[0], pressed[1], pressed[2], pressed[3]), List.of(f.target.kills.get(),
                    f.target.toggles.get(), f.target.restarts.get(), f.target.quits.get()));
            // still healthy: the session is alive and a newcomer is welcomed
            assertFalse(c.closedByServer());
            f.target.push("healthy\r\n");
            c.awaitText("healthy\r\n");
            f.controlClient().awaitText("healthy\r\n");
        }
    }

    /** A byte the hub forwards as is: not a key, not ignored, not IAC, not NUL (CR NUL is its own atom). */
    private static int dataByte(Random rnd) {
        while (true) {
            int b = rnd.nextInt(256);
            if (b != 0 && b != 0xff && b != 0x18 && b != 0x14 && b != 0x12 && b != 0x11 && b != 0x04
                    && b != 0x03 && b != 0x1d) {
                return b;
            }
        }
    }

    @Test
    void anyNumberOfStalledClientsTogetherStayWithinTheUnitsBudget() throws Exception {
        int clients = 8; // each may lag 8 MiB: 64 MiB without the shared budget
        try (HubFixture f = new HubFixture(HubFixture.spec(List.of(HubFixture.ANY_PORT), List.of(), 0, false), dir, false)) {
            List<TestClient> stalled = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                stalled.add(f.track(TestClient.connect(f.control(), 4096, false)));
            }
            Eventually.until(() -> f.clientCount() == clients, () -> "all clients");
            long budget = f.reactor.call(f.hub::queueBudget);
            byte[] chunk = new byte[64 * 1024];
            long most = 0;
            for (int i = 0; i < 640; i++) { // 40 MiB
                f.target.push(chunk);
                most = Math.max(most, f.reactor.call(f.hub::queuedBytes));
            }
            assertTrue(most <= budget, "queued " + most + " bytes, budget " + budget);
            assertTrue(most > budget / 2, "the budget was not even used: " + most);
            for (TestClient c : stalled) {
                c.close();
            }
            Eventually.until(() -> f.clientCount() == 0, () -> "all clients gone");
            assertEquals(0, (long) f.reactor.call(f.hub::queuedBytes), "every reserved byte is given back");
        }
    }
}
