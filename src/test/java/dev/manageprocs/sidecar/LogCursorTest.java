package dev.manageprocs.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.unit.LogSpec;
import dev.manageprocs.unit.TimestampFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a console log as ConsoleLog writes and rotates it: nothing lost, nothing twice. */
class LogCursorTest {
    private static final int KEEP = 4;

    @TempDir
    Path tmp;

    private ConsoleLog log(Path file, long maxSize) {
        return new ConsoleLog(file, new LogSpec(new LogSpec.LogTarget.Default(), false, new TimestampFormat("%s "),
                maxSize, KEEP), ZoneOffset.UTC, p -> {
                    throw new AssertionError(p);
                });
    }

    private static void write(ConsoleLog log, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        log.write(b, 0, b.length);
    }

    private static List<String> drain(LogCursor c) throws IOException {
        List<String> lines = new ArrayList<>();
        for (byte[] l; (l = c.nextLine()) != null; ) {
            lines.add(new String(l, StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static List<String> numbered(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n").toList();
    }

    @Test
    void followingAcrossRotationsMissesNothingAndRepeatsNothingEvenWhenItFallsBehind() throws Exception {
        Path file = tmp.resolve("u.log");
        try (ConsoleLog log = log(file, 200); LogCursor cursor = LogCursor.atStart(file, KEEP)) {
            List<String> seen = new ArrayList<>();
            int n = 0;
            for (int round = 0; round < 40; round++) {
                // from one line per read to three rotations' worth between two reads (KEEP is 4)
                int burst = 1 + round % 4 * 15;
                for (int i = 0; i < burst; i++) {
                    write(log, "line " + ++n + "\n");
                }
                seen.addAll(drain(cursor));
            }
            assertTrue(Files.exists(tmp.resolve("u.log." + KEEP)), "the log rotated all the way");
            assertEquals(numbered(1, n), seen);
        }
    }

    @Test
    void aPartialLineWaitsForItsEndAndRestGivesIt() throws Exception {
        Path file = tmp.resolve("u.log");
        try (ConsoleLog log = log(file, 1 << 20); LogCursor cursor = LogCursor.atStart(file, KEEP)) {
            write(log, "one\nepics> ");
            assertEquals(List.of("one\n"), drain(cursor));
            write(log, "dbl\n");
            assertEquals(List.of("epics> dbl\n"), drain(cursor));
            write(log, "epics> ");
            assertEquals(List.of(), drain(cursor));
            assertEquals("epics> ", new String(cursor.rest(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void lastLinesReachIntoRotatedFilesAndCountAPartialLastLine() throws Exception {
        Path file = tmp.resolve("u.log");
        try (ConsoleLog log = log(file, 100)) {
            for (int i = 1; i <= 30; i++) {
                write(log, "line " + i + "\n");
            }
            assertTrue(Files.size(file) < 100 && Files.exists(tmp.resolve("u.log.2")), "spread over files");
            try (LogCursor c = LogCursor.atLastLines(file, KEEP, 12)) {
                assertEquals(numbered(19, 30), drain(c));
            }
            try (LogCursor c = LogCursor.atLastLines(file, KEEP, 1000)) {
                List<String> all = drain(c);
                assertEquals(all.get(all.size() - 1), "line 30\n");
                assertEquals(numbered(31 - all.size(), 30), all, "whatever is kept, in order");
            }
            write(log, "epics> ");
            try (LogCursor c = LogCursor.atLastLines(file, KEEP, 2)) {
                assertEquals(numbered(30, 30), drain(c));
                assertEquals("epics> ", new String(c.rest(), StandardCharsets.UTF_8));
            }
        }
        try (LogCursor c = LogCursor.atLastLines(tmp.resolve("none.log"), KEEP, 5)) {
            assertEquals(List.of(), drain(c), "a log that does not exist (yet) is empty");
        }
    }

    @Test
    void atEndSeesOnlyNewLinesAndATruncatedFileIsReadAgain() throws Exception {
        Path file = tmp.resolve("u.log");
        Files.writeString(file, "old 1\nold 2\n");
        try (LogCursor c = LogCursor.atEnd(file, KEEP)) {
            Files.writeString(file, "new 1\n", java.nio.file.StandardOpenOption.APPEND);
            assertEquals(List.of("new 1\n"), drain(c));
            Files.writeString(file, "cut\n"); // truncated, then less written than was there before
            assertEquals(List.of("cut\n"), drain(c));
        }
    }
}
