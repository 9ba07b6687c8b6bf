package dev.manageprocs.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HistoryRingTest {
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
}
