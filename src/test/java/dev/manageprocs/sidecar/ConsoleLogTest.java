package dev.manageprocs.sidecar;

import dev.manageprocs.testing.Eventually;
import dev.manageprocs.unit.LogSpec;
import dev.manageprocs.unit.TimestampFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class ConsoleLogTest {

    private static final TimestampFormat EPOCH_MILLIS = new TimestampFormat("[%s.%3N] ");

    @TempDir
    Path tmp;

    private final List<String> problems = new ArrayList<>();

    private static LogSpec plain(long maxSize, int keep) {
        return new LogSpec(new LogSpec.LogTarget.Default(), false, EPOCH_MILLIS, maxSize, keep);
    }

    private static LogSpec stamped(long maxSize, int keep) {
        return new LogSpec(new LogSpec.LogTarget.Default(), true, EPOCH_MILLIS, maxSize, keep);
    }

    private ConsoleLog open(Path file, LogSpec spec) {
        return new ConsoleLog(file, spec, ZoneOffset.UTC, problems::add);
    }

    private static void write(ConsoleLog log, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        log.write(b, 0, b.length);
    }

    @Test
    void aFloodOfTwentyMegabytesLandsByteExact() throws Exception {
        Path file = tmp.resolve("flood.log");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        byte[] chunk = new byte[65536];
        long total = 0;
        try (ConsoleLog log = open(file, plain(10 << 20, 0))) {
            while (total < 20 << 20) {
                int len = 1 + random.nextInt(chunk.length);
                random.nextBytes(chunk); // every byte value, including \n, \r and partial UTF-8
                for (int i = random.nextInt(64); i < len; i += 1 + random.nextInt(120)) {
                    chunk[i] = '\n';
                }
                log.write(chunk, 0, len);
                written.update(chunk, 0, len);
                total += len;
            }
        }
        assertEquals(total, Files.size(file));
        assertArrayEquals(written.digest(), MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertEquals(List.of(), problems);
    }

    @Test
    void eachLineIsStampedWhenItBegins() throws IOException {
        Path file = tmp.resolve("stamped.log");
        try (ConsoleLog log = open(file, stamped(0, 0))) {
            write(log, "ab");
            long begun = System.currentTimeMillis();
            Eventually.await("the clock to tick", Duration.ofSeconds(1), () -> System.currentTimeMillis() > begun + 1);
            write(log, "c\r\nd");
            write(log, "e\rf\n");
            write(log, "\n");
            write(log, "g\n");
        }
        String content = Files.readString(file);
        Matcher m = Pattern.compile("\\[(\\d+)\\.(\\d{3})] ").matcher(content);
        List<Long> stamps = new ArrayList<>();
        while (m.find()) {
            stamps.add(Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2)));
        }
        assertEquals("[] abc\r\n[] de\rf\n[] \n[] g\n", m.replaceAll("[] "), "a lone \\r stays in its line; \\r\\n ends one");
        assertTrue(stamps.get(1) > stamps.get(0), "'abc' keeps the time it began; 'de' began later: " + stamps);
    }

    @Test
    void aTrailingNewlineGetsNoPrefixUntilMoreArrives() throws IOException {
        Path file = tmp.resolve("trailing.log");
        try (ConsoleLog log = open(file, stamped(0, 0))) {
            write(log, "one\n");
            assertTrue(Files.readString(file).matches("\\[\\d+\\.\\d{3}] one\n"), Files.readString(file));
            write(log, "t");
            assertTrue(Files.readString(file).matches("(\\[\\d+\\.\\d{3}] )one\n\\[\\d+\\.\\d{3}] t"), Files.readString(file));
        }
    }

    @Test
    void rotationKeepsExactlyKeepFilesAndLosesNothingInTheWindow() throws IOException {
        Path file = tmp.resolve("ioc.log");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Random random = new Random(7);
        try (ConsoleLog log = open(file, plain(1000, 3))) {
            while (all.size() < 12_000) {
                StringBuilder chunk = new StringBuilder();
                for (int lines = random.nextInt(4); lines >= 0; lines--) {
                    chunk.append("x".repeat(random.nextInt(150))).append('\n');
                }
                chunk.append("partial-".repeat(random.nextInt(3))); // a line continued by the next write
                write(log, chunk.toString());
                all.writeBytes(chunk.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(Files.exists(tmp.resolve("ioc.log.3")));
        assertFalse(Files.exists(tmp.resolve("ioc.log.4")));
        try (var files = Files.list(tmp)) {
            assertEquals(4, files.count());
        }
        byte[] kept = concat(tmp.resolve("ioc.log.3"), tmp.resolve("ioc.log.2"), tmp.resolve("ioc.log.1"), file);
        byte[] written = all.toByteArray();
        assertTrue(kept.length > 3000, "three full old files and the current one");
        assertArrayEquals(Arrays.copyOfRange(written, written.length - kept.length, written.length), kept);
        // Cuts fall at a line end, or where a write ended mid-line ("partial-") and the next line did not fit.
        assertTrue(written[written.length - kept.length - 1] == '\n' || written[written.length - kept.length - 1] == '-');
        for (int i = 1; i <= 3; i++) {
            byte[] old = Files.readAllBytes(tmp.resolve("ioc.log." + i));
            assertTrue(old.length <= 1000, "ioc.log." + i + " has " + old.length + " bytes");
            byte last = old[old.length - 1];
            assertTrue(last == '\n' || last == '-', "ioc.log." + i + " was cut inside a write");
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void onlyALineLongerThanMaxSizeIsCut() throws IOException {
        Path file = tmp.resolve("long.log");
        try (ConsoleLog log = open(file, plain(100, 5))) {
            write(log, "short\n");
            write(log, "L".repeat(250) + "\n");
            write(log, "end\n");
        }
        assertEquals("short\n", Files.readString(tmp.resolve("long.log.3")), "the long line moved to a fresh file");
        assertEquals("L".repeat(100), Files.readString(tmp.resolve("long.log.2")));
        assertEquals("L".repeat(100), Files.readString(tmp.resolve("long.log.1")));
        assertEquals("L".repeat(50) + "\nend\n", Files.readString(file));
    }

    @Test
    void rotatedFilesStartWithAStampedLine() throws IOException {
        Path file = tmp.resolve("ts.log");
        try (ConsoleLog log = open(file, stamped(200, 2))) {
            for (int i = 0; i < 40; i++) {
                write(log, "line " + i + "\r\nmore " + i + "\r\n");
            }
        }
        for (Path p : List.of(tmp.resolve("ts.log.2"), tmp.resolve("ts.log.1"), file)) {
            String content = Files.readString(p);
            assertTrue(content.matches("(\\[\\d+\\.\\d{3}] (line|more) \\d+\r\n)+"), p + ":\n" + content);
        }
    }

    @Test
    void aRotationThatFailsKeepsEveryByteAndIsRetried() throws IOException {
        Path file = tmp.resolve("ioc.log");
        Path blocker = Files.createDirectories(tmp.resolve("ioc.log.1/not-a-log"));
        try (ConsoleLog log = open(file, plain(20, 1))) {
            for (int i = 0; i < 5; i++) {
                write(log, "123456789\n");
            }
            assertEquals(50, Files.size(file), "nothing lost: the file grows past max_size instead");
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.getFirst().startsWith("console log " + file + " cannot be rotated (" + tmp.resolve("ioc.log.1")
                    + ": Directory not empty)"), problems.getFirst());
            Files.delete(blocker);
            Files.delete(tmp.resolve("ioc.log.1"));
            Eventually.await("a rotation", Duration.ofSeconds(5), () -> {
                write(log, "123456789\n");
                return Files.isRegularFile(tmp.resolve("ioc.log.1"));
            });
        }
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(Files.readString(tmp.resolve("ioc.log.1")).startsWith("123456789\n".repeat(5)));
    }

    @Test
    void keepZeroNeverRotates() throws IOException {
        Path file = tmp.resolve("one.log");
        try (ConsoleLog log = open(file, plain(10, 0))) {
            for (int i = 0; i < 10; i++) {
                write(log, "0123456789\n");
            }
        }
        assertEquals(110, Files.size(file));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void reopenAfterLogrotateRenamedTheFile() throws IOException {
        Path file = tmp.resolve("rot.log");
        try (ConsoleLog log = open(file, plain(0, 0))) {
            write(log, "before\n");
            Files.move(file, tmp.resolve("rot.log.1"));
            log.reopen();
            assertTrue(Files.exists(file), "reopen creates the file at once, as logrotate's nocreate expects");
            write(log, "after\n");
        }
        assertEquals("before\n", Files.readString(tmp.resolve("rot.log.1")));
        assertEquals("after\n", Files.readString(file));
    }

    @Test
    void aFileRenamedAwayIsFollowedEvenWithoutReopen() throws IOException {
        Path file = tmp.resolve("follow.log");
        try (ConsoleLog log = open(file, plain(0, 0))) {
            write(log, "before\n");
            Files.move(file, tmp.resolve("follow.log.old"));
            write(log, "after\n");
        }
        assertEquals("before\n", Files.readString(tmp.resolve("follow.log.old")));
        assertEquals("after\n", Files.readString(file));
    }

    @Test
    void aRemovedDirectoryIsReportedOnceCountedAndResumed() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("logs"));
        Path file = dir.resolve("ioc.log");
        try (ConsoleLog log = open(file, plain(0, 0))) {
            write(log, "kept\n");
            Files.delete(file);
            Files.delete(dir);
            write(log, "lost one\n");
            write(log, "lost two\n");
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.getFirst().startsWith("console log " + file + " cannot be opened (No such file or directory)"),
                    problems.getFirst());
            assertTrue(problems.getFirst().contains("make sure " + dir + " exists and is writable"), problems.getFirst());

            Files.createDirectory(dir);
            long lost = "lost one\nlost two\n".length() + writeUntilResumed(log);
            assertEquals("console log " + file + " resumed; " + lost + " bytes were lost while it was unwritable",
                    problems.get(1));
            assertEquals(2, problems.size());
        }
        assertEquals("back\n", Files.readString(file));
    }

    @Test
    void aParentThatIsARegularFileIsReportedAtOpenAndResumedLater() throws IOException {
        Path notDir = Files.writeString(tmp.resolve("logs"), "oops");
        Path file = notDir.resolve("ioc.log");
        try (ConsoleLog log = open(file, stamped(0, 0))) {
            assertEquals(1, problems.size());
            assertTrue(problems.getFirst().contains("cannot be opened (Not a directory)"), problems.getFirst());
            write(log, "gone\n");
            Files.delete(notDir);
            Files.createDirectory(notDir);
            writeUntilResumed(log);
            assertEquals(2, problems.size(), problems.toString());
        }
        assertTrue(Files.readString(file).matches("\\[\\d+\\.\\d{3}] back\n"), Files.readString(file));
    }

    @Test
    void anUnwritableDirectoryIsReportedAndResumed() throws IOException {
        assumeFalse((int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0, "root writes through chmod 000");
        Path dir = Files.createDirectory(tmp.resolve("logs"));
        Path file = dir.resolve("ioc.log");
        try (ConsoleLog log = open(file, plain(0, 0))) {
            write(log, "kept\n");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("---------"));
            try {
                log.reopen();
                write(log, "lost\n");
                assertEquals(1, problems.size(), problems.toString());
                assertTrue(problems.getFirst().contains("(Permission denied)"), problems.getFirst());
            } finally {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            writeUntilResumed(log);
            assertEquals(2, problems.size(), problems.toString());
        }
        assertEquals("kept\nback\n", Files.readString(file));
    }

    @Test
    void writeAfterCloseIsIgnored() throws IOException {
        Path file = tmp.resolve("closed.log");
        ConsoleLog log = open(file, plain(0, 0));
        write(log, "a\n");
        log.close();
        write(log, "b\n");
        log.reopen();
        assertEquals("a\n", Files.readString(file));
    }

    /** Writes "back\n" until the log resumes; returns the bytes of the attempts that were lost. */
    private long writeUntilResumed(ConsoleLog log) {
        int before = problems.size();
        long[] lost = {0};
        Eventually.await("the log to resume", Duration.ofSeconds(5), () -> {
            write(log, "back\n");
            if (problems.size() > before) {
                return true;
            }
            lost[0] += "back\n".length();
            return false;
        });
        return lost[0];
    }

    private static byte[] concat(Path... files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Path p : files) {
            out.writeBytes(Files.readAllBytes(p));
        }
        return out.toByteArray();
    }
}
