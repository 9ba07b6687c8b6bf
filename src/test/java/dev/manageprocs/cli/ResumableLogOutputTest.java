package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * logs -f going on where it stopped after a re-exec: the resumed stream brings every unit's last lines
 * again, and only what is new is printed.
 */
class ResumableLogOutputTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ResumableLogOutput output = new ResumableLogOutput(out, err);

    private static List<String> stamped(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + "2026-12-03 07:00:" + String.format("%02d", i % 60)
                + " line " + i + "\n").toList();
    }

    /** The lines as chunks of a few lines each, split anywhere (a chunk need not end with a line). */
    private void send(List<String> lines) throws IOException {
        byte[] all = String.join("", lines).getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < all.length; at += 37) {
            byte[] piece = java.util.Arrays.copyOfRange(all, at, Math.min(all.length, at + 37));
            output.chunk(false, piece);
        }
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String joined(List<String> lines) {
        return String.join("", lines);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void theResumedStreamRepeatsNothingAndLosesNothing() throws Exception {
        send(stamped("", 0, 300)); // printed before the cut
        output.resume();
        send(stamped("", 0, 340)); // the last lines again (from further back), then what came meanwhile
        send(stamped("", 340, 350));
        assertEquals(joined(stamped("", 0, 350)), printed());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void severalUnitsAreMatchedEachByItself() throws Exception {
        List<String> a = stamped("a  | ", 0, 50);
        List<String> b = stamped("bb | ", 100, 300);
        send(a);
        send(b);
        output.resume();
        // the resumed stream merges them otherwise, and the prefix width changed (a unit "cccc" appeared)
        List<String> again = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            if (i < 55) {
                again.add(stamped("a    | ", i, i + 1).get(0));
            }
            if (i < 210) {
                again.add(stamped("bb   | ", 100 + i, 101 + i).get(0));
            }
        }
        again.add("cccc | new unit\n");
        send(again);
        assertEquals(joined(concat(a, b)) + expectedNew(again), printed());
    }

    /** The lines of {@code again} that come after each unit's last printed line (a: 49, bb: 299). */
    private static String expectedNew(List<String> again) {
        StringBuilder b = new StringBuilder();
        for (String l : again) {
            int n = l.contains(" line ") ? Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1).strip()) : -1;
            if (l.startsWith("a ") && n >= 50 || l.startsWith("bb ") && n >= 300 || l.startsWith("cccc")) {
                b.append(l);
            }
        }
        return b.toString();
    }

    @Test
    void aBurstThatStartsInsideWhatWasPrintedIsTrimmedWhenItSettles() throws Exception {
        send(stamped("", 0, 300));
        output.resume();
        send(stamped("", 250, 320)); // a flood: the last lines asked for begin after the remembered ones did
        assertEquals(joined(stamped("", 0, 300)), printed(), "held until it settles");
        output.settleAll(1);
        assertEquals(joined(stamped("", 0, 320)), printed());
        assertEquals("", err.toString(StandardCharsets.UTF_8), "nothing was lost");
        send(stamped("", 320, 321));
        assertEquals(joined(stamped("", 0, 321)), printed(), "and it prints as it comes again");
    }

    @Test
    void linesThatNeverComeAgainAreSaidToBeMissing() throws Exception {
        send(stamped("ioc1 | ", 0, 20));
        output.resume();
        send(stamped("ioc1 | ", 500, 510)); // the log was rotated away meanwhile
        output.settleAll(1);
        assertEquals(joined(concat(stamped("ioc1 | ", 0, 20), stamped("ioc1 | ", 500, 510))), printed());
        assertEquals("manage-procs: lines of ioc1 logged while the manager re-executed may be missing\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aUnitThatHadPrintedNothingPrintsWhatComes() throws Exception {
        send(stamped("a | ", 0, 5));
        output.resume();
        send(concat(stamped("a | ", 0, 5), stamped("b | ", 0, 3)));
        assertEquals(joined(concat(stamped("a | ", 0, 5), stamped("b | ", 0, 3))), printed());
    }

    @Test
    void warningsTheResumedStreamRepeatsArePrintedOnce() throws Exception {
        byte[] warning = "manage-procs: unit x has no console log (log.file = \"\"), so there is nothing to show for it\n"
                .getBytes(StandardCharsets.UTF_8);
        output.chunk(true, warning);
        output.resume();
        output.chunk(true, warning);
        assertEquals(new String(warning, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
