package dev.manageprocs.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HistoryRingTest {
    @Test
    void theEmptyHistoryOfAUnitThatNeverRanIsHandedOverAndBack() {
        HistoryRing empty = new HistoryRing(16);
        HistoryRing back = HistoryRing.restored(16, empty.handover());
        assertEquals(0, back.snapshot().length);
        back.append("after\n".getBytes(StandardCharsets.US_ASCII), 0, 6);
        assertEquals("after\n", new String(back.snapshot(), StandardCharsets.US_ASCII));
    }

    private static String snapshot(HistoryRing r) {
        return new String(r.snapshot(), StandardCharsets.ISO_8859_1);
    }

    private static void append(HistoryRing r, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        r.append(b, 0, b.length);
    }

    @Test
    void keepsEverythingUntilFull() {
        HistoryRing r = new HistoryRing(16);
        assertEquals("", snapshot(r));
        append(r, "abc\ndef");
        assertEquals("abc\ndef", snapshot(r));
    }

    @Test
    void afterWrappingStartsAtTheFirstWholeLine() {
        HistoryRing r = new HistoryRing(10);
        append(r, "11111\n2222\n333");
        // kept: "1\n2222\n333" -> the partial first line goes
        assertEquals("2222\n333", snapshot(r));
        append(r, "\n44");
        assertEquals("333\n44", snapshot(r));
    }

    @Test
    void aChunkLargerThanTheRingKeepsItsTail() {
        HistoryRing r = new HistoryRing(8);
        append(r, "xxxxxxxxxxxxxxx\nabc");
        assertEquals("abc", snapshot(r));
    }

    @Test
    void oneEndlessLineIsKeptWhole() {
        HistoryRing r = new HistoryRing(4);
        append(r, "abcdefgh");
        assertEquals("efgh", snapshot(r));
    }

    @Test
    void memoryGrowsWithWhatWasWrittenNotWithTheCapacity() {
        HistoryRing r = new HistoryRing(64 * 1024);
        assertEquals(0, r.allocated(), "nothing before the first output");
        append(r, "@@@ The PID of new child \"ioc1\" is: 4242\n");
        assertEquals(512, r.allocated());
        append(r, "x".repeat(5000));
        assertEquals(8192, r.allocated());
        append(r, "y".repeat(100_000));
        assertEquals(64 * 1024, r.allocated(), "never more than the capacity");
    }

    @Test
    void agreesWithKeepingTheLastBytesOfEverything() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 200; round++) {
            int capacity = 1 + random.nextInt(20_000);
            HistoryRing r = new HistoryRing(capacity);
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                int len = random.nextInt(random.nextBoolean() ? 50 : 9000);
                StringBuilder chunk = new StringBuilder();
                for (int j = 0; j < len; j++) {
                    chunk.append(random.nextInt(40) == 0 ? '\n' : (char) ('a' + random.nextInt(26)));
                }
                append(r, chunk.toString());
                all.append(chunk);
                String kept = all.length() <= capacity ? all.toString() : all.substring(all.length() - capacity);
                if (all.length() > capacity) {
                    int nl = kept.indexOf('\n');
                    kept = nl >= 0 && nl < kept.length() - 1 ? kept.substring(nl + 1) : kept;
                }
                assertEquals(kept, snapshot(r), "capacity " + capacity + ", after " + all.length() + " bytes");
            }
        }
    }
}
