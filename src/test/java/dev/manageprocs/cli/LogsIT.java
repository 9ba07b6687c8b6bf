package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code manage-procs logs} against a real manager: logs written by the test, and one a child writes and rotates. */
class LogsIT {
    @TempDir
    Path tmp;

    private ManagerProcess manager;
    private Path logs;

    @BeforeEach
    void start() throws Exception {
        manager = new ManagerProcess(tmp.resolve("m"));
        logs = Files.createDirectories(tmp.resolve("logs"));
        // a log as the manager would have written it, one rotation old
        Files.writeString(logs.resolve("a.log.1"), "2024-05-01 09:59:58 a0\r\n");
        Files.writeString(logs.resolve("a.log"), """
                2024-05-01 10:00:00 a1\r
                2024-05-01 10:00:02 a2\r
                   a2 continued\r
                2024-05-01 10:00:04 a3\r
                """);
        Files.writeString(logs.resolve("b.log"), """
                2024-05-01 10:00:01 b1\r
                2024-05-01 10:00:03 b2\r
                """);
        Files.writeString(logs.resolve("plain.log"), "no stamps here\n");
        for (String name : List.of("a", "b", "plain")) {
            manager.writeUnit(name, """
                    [process]
                    command = ["true"]
                    [restart]
                    autostart = false
                    [log]
                    file = "%s"
                    timestamp = %s
                    keep = 2
                    """.formatted(logs.resolve(name + ".log"), !name.equals("plain")));
        }
        assertEquals(0, manager.cli("reload").exit());
    }

    @AfterEach
    void stop() throws Exception {
        manager.close();
    }

    private String logs(String... args) {
        List<String> all = new ArrayList<>(List.of("logs"));
        all.addAll(List.of(args));
        ManagerProcess.Result r = manager.cli(all.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        return r.out().replace("\r", "");
    }

    @Test
    void aReaderThatGoesAwayEndsTheFollowerQuietly() throws Exception {
        // logs -f | head -n 1: head leaves after one line; logs must end without blaming the manager
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "\"$0\" --user logs -f a | head -n 1; echo \"logs exited ${PIPESTATUS[0]}\"",
                ManagerProcess.launcher().toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(manager.environment());
        Process p = pb.start();
        ByteArrayOutputStream out = collect(p.getInputStream());
        // the follower notices the closed pipe at its next write, so the log keeps growing until it ends
        Eventually.await("logs -f to end once head has left", Duration.ofSeconds(20), () -> {
            try {
                Files.writeString(logs.resolve("a.log"), "2024-05-01 10:00:05 more\r\n", StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return !p.isAlive();
        });
        p.waitFor();
        Eventually.await("the shell's last line", Duration.ofSeconds(5), () -> text(out).contains("logs exited"));
        // one line of the log for head, then no word from logs, which exits as if killed by SIGPIPE
        String shown = text(out).replace("\r", "");
        assertTrue(shown.matches("2024-05-01 10:00:0\\d \\w+\nlogs exited 141\n"), shown);
    }

    @Test
    void theWholeLogTheLastLinesAndLinesSinceATime() {
        assertEquals("""
                2024-05-01 09:59:58 a0
                2024-05-01 10:00:00 a1
                2024-05-01 10:00:02 a2
                   a2 continued
                2024-05-01 10:00:04 a3
                """, logs("a"), "rotated file first");
        assertEquals("""
                   a2 continued
                2024-05-01 10:00:04 a3
                """, logs("a", "-n", "2"));
        assertEquals("""
                2024-05-01 09:59:58 a0
                2024-05-01 10:00:00 a1
                """, logs("a", "-n", "5").lines().limit(2).map(l -> l + "\n").reduce("", String::concat),
                "-n reaches into the rotated file");
        assertEquals("""
                2024-05-01 10:00:02 a2
                   a2 continued
                2024-05-01 10:00:04 a3
                """, logs("a", "--since", "2024-05-01 10:00:02"), "a line without a stamp goes with the one before");
    }

    @Test
    void severalUnitsAreMergedByTimeWithAPrefix() {
        assertEquals("""
                a | 2024-05-01 09:59:58 a0
                a | 2024-05-01 10:00:00 a1
                b | 2024-05-01 10:00:01 b1
                a | 2024-05-01 10:00:02 a2
                a |    a2 continued
                b | 2024-05-01 10:00:03 b2
                a | 2024-05-01 10:00:04 a3
                """, logs("[ab]"));
        assertEquals("""
                a | 2024-05-01 10:00:04 a3
                b | 2024-05-01 10:00:03 b2
                """.lines().sorted().toList(), logs("a", "b", "-n", "1").lines().sorted().toList());
    }

    @Test
    void mistakesAreOneSentenceWithTheDocumentedExitCodes() {
        ManagerProcess.Result none = manager.cli("logs", "nosuch");
        assertEquals(4, none.exit(), none.toString());
        assertTrue(none.err().contains("no unit matches 'nosuch'"), none.toString());
        ManagerProcess.Result plain = manager.cli("logs", "plain", "--since", "1h");
        assertEquals(1, plain.exit(), plain.toString());
        assertTrue(plain.err().contains("unit plain logs without time stamps (timestamp = false), so --since cannot "
                + "select its lines; use -n instead"), plain.toString());
        ManagerProcess.Result bad = manager.cli("logs", "a", "--since", "last tuesday");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("--since 'last tuesday' is not a time"), bad.toString());
    }

    @Test
    void followKeepsGoingAcrossRotationsWithoutLosingOrRepeatingALine() throws Exception {
        int lines = 300;
        // the counter counts only once the follower shows its first line, so that no line can rotate
        // out of reach before the follower is there (what this test is about is following, not -n)
        Path go = tmp.resolve("go");
        manager.writeUnit("counter", """
                [process]
                command = ["sh", "-c", "echo ready; while [ ! -e %s ]; do sleep 0.01; done; i=0; while [ $i -lt %d ]; do i=$((i+1)); echo line $i; sleep 0.005; done; echo done; exec sleep 600"]
                stop_signal = "SIGKILL"
                [restart]
                autostart = false
                [log]
                max_size = "1KiB"
                keep = 3
                """.formatted(go, lines));
        assertEquals(0, manager.cli("reload").exit());
        assertEquals(0, manager.cli("start", "counter").exit());
        List<String> cmd = List.of(ManagerProcess.launcher().toString(), "--user", "logs", "-f", "counter", "-n", "100000");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(manager.environment());
        Process follower = pb.start();
        try {
            ByteArrayOutputStream out = collect(follower.getInputStream());
            Eventually.until(Duration.ofSeconds(25), () -> text(out).contains("ready"),
                    () -> "logs -f to show the first line:\n" + text(out));
            Files.createFile(go);
            Eventually.until(Duration.ofSeconds(25), () -> text(out).contains("done"),
                    () -> "logs -f to show the end:\n" + text(out));
            assertTrue(Files.exists(manager.logDir.resolve("counter.log.3")), "the log rotated at least three times");
            List<Integer> seen = new ArrayList<>();
            Matcher m = Pattern.compile("line (\\d+)\r?\n").matcher(text(out));
            while (m.find()) {
                seen.add(Integer.parseInt(m.group(1)));
            }
            assertEquals(IntStream.rangeClosed(1, lines).boxed().toList(), seen, "every line once, in order");
            assertTrue(follower.isAlive(), "logs -f still follows");
        } finally {
            follower.destroy();
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static ByteArrayOutputStream collect(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (out) {
                        out.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the follower ended
            }
        });
        return out;
    }
}
