package dev.manageprocs.supervisor;

import static dev.manageprocs.testing.TestUnits.process;
import static dev.manageprocs.testing.TestUnits.restart;
import static dev.manageprocs.testing.TestUnits.unit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manageprocs.child.ProcessIdentity;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.TestUnits;
import dev.manageprocs.unit.LogSpec;
import dev.manageprocs.unit.RestartMode;
import dev.manageprocs.unit.Signal;
import dev.manageprocs.unit.TimestampFormat;
import dev.manageprocs.unit.Unit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {
    @TempDir
    Path tmp;

    private static Unit quick(Unit u, RestartMode mode) {
        return restart(u, mode, Duration.ZERO, 0, Duration.ofMinutes(10));
    }

    @Test
    void onFailureRestartsAFailingChild() throws Exception {
        Unit u = restart(unit("fail3", "sh", "-c", "echo run; exit 3"), RestartMode.ON_FAILURE,
                Duration.ofMillis(100), 0, Duration.ofMinutes(10));
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            Eventually.await("two restarts", SupervisorHarness.WAIT, () -> h.status().restarts() >= 2);
            assertEquals("exit 3", h.status().lastExit().orElseThrow().brief());
            assertTrue(h.announcements().contains(
                    "@@@ Child process is shutting down, a new one will be restarted shortly"), h.announcements().toString());
        }
    }

    @Test
    void neverLeavesAnExitedChildExitedWithItsCode() throws Exception {
        try (var h = new SupervisorHarness(quick(unit("once", "sh", "-c", "exit 3"), RestartMode.NEVER), tmp)) {
            h.run(() -> h.supervisor.start("test"));
            UnitStatus s = h.awaitState(State.EXITED);
            assertEquals(3, s.lastExit().orElseThrow().code());
            assertEquals(0, s.restarts());
            assertTrue(s.pid().isEmpty());
            assertFalse(Files.exists(h.runDir.resolve("pid")), "pid file must go when the child is gone");
        }
    }

    @Test
    void aRestartWaitingForTheStopDoesNotStartTheChildOfAnUnloadedUnit() throws Exception {
        try (var h = new SupervisorHarness(quick(unit("going", "sleep", "1000"), RestartMode.ALWAYS), tmp)) {
            h.run(() -> h.supervisor.start("test"));
            h.awaitState(State.RUNNING);
            var unloaded = h.call(() -> {
                h.supervisor.restart("test"); // stops, and would start again once stopped...
                return h.supervisor.retire(Goal.REMOVE, "shutdown"); // ...but the unit is removed meanwhile
            });
            unloaded.get(SupervisorHarness.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            UnitStatus after = h.status();
            assertEquals(State.STOPPED, after.state(), after::toString);
            assertTrue(after.pid().isEmpty(), "no new child after the unload: " + after);
            assertEquals(List.of(Goal.REMOVE), h.retiredFor);
        }
    }

    @Test
    void onFailureDoesNotRestartASuccessfulExit() throws Exception {
        try (var h = new SupervisorHarness(quick(unit("ok", "true"), RestartMode.ON_FAILURE), tmp)) {
            h.run(() -> h.supervisor.start("test"));
            assertEquals(0, h.awaitState(State.EXITED).lastExit().orElseThrow().code());
        }
    }

    @Test
    void aChildKilledByASignalIsRecordedWithTheSignalName() throws Exception {
        try (var h = new SupervisorHarness(quick(unit("sig", "sleep", "1000"), RestartMode.NEVER), tmp)) {
            h.run(() -> h.supervisor.start("test"));
            h.awaitState(State.RUNNING);
            assertTrue(h.call(() -> h.supervisor.kill(Signal.of(10), "test")));
            UnitStatus s = h.awaitState(State.EXITED);
            assertEquals("SIGUSR1", s.lastExit().orElseThrow().brief());
            assertTrue(h.announcements().stream().anyMatch(l -> l.endsWith("The process was killed by signal 10")));
        }
    }

    @Test
    void aChildIgnoringTheStopSignalIsKilledAfterStopTimeout() throws Exception {
        Unit u = unit("stubborn", "sh", "-c", "trap '' TERM; echo ready; while :; do sleep 1; done");
        u = process(u, TestUnits.withStop(u.process(), Signal.TERM, Duration.ofMillis(500)));
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            h.awaitOutput("ready");
            long t0 = System.nanoTime();
            UnitStatus s = h.stop();
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(State.STOPPED, s.state());
            assertEquals("SIGKILL", s.lastExit().orElseThrow().brief());
            assertTrue(tookMs >= 450, "SIGKILL came after " + tookMs + " ms, before stop_timeout");
            assertTrue(h.announcements().stream().anyMatch(l -> l.startsWith("@@@ Stopping child \"stubborn\": SIGTERM sent")),
                    h.announcements().toString());
        }
    }

    @Test
    void stopLeavesNoGrandchildBehind() throws Exception {
        Unit u = unit("family", "sh", "-c", "sleep 1000 & echo grandchild=$!; wait");
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            Matcher m = Pattern.compile("grandchild=(\\d+)").matcher(h.awaitOutput("\n"));
            assertTrue(m.find(), h.output());
            int grandchild = Integer.parseInt(m.group(1));
            assertTrue(ProcessIdentity.startTime(grandchild).isPresent());
            assertEquals(State.STOPPED, h.stop().state());
            Eventually.await("grandchild " + grandchild + " gone", SupervisorHarness.WAIT,
                    () -> ProcessIdentity.startTime(grandchild).isEmpty()
                            || ProcessHandle.of(grandchild).map(p -> !p.isAlive()).orElse(true));
        }
    }

    @Test
    void theChildRunsOnARealTerminalWithProcServVariables() throws Exception {
        try (var h = new SupervisorHarness(quick(unit("tty1", "sh", "-c",
                "tty; stty size; echo name=$PROCSERV_NAME ioc=$IOCNAME info=$PROCSERV_INFO"), RestartMode.NEVER), tmp)) {
            h.run(() -> h.supervisor.setEndpoints(List.of("unix:/run/x/control"), List.of("tcp:127.0.0.1:4051")));
            h.run(() -> h.supervisor.start("test"));
            h.awaitState(State.EXITED);
            String out = h.output();
            assertTrue(out.matches("(?s)/dev/pts/\\d+\n24 80\n.*"), out);
            assertTrue(out.contains("name=tty1 ioc=tty1 info=PID=" + ProcessHandle.current().pid()
                    + ";CTL=unix:/run/x/control;LOG=tcp:127.0.0.1:4051"), out);
        }
    }

    @Test
    void controlCReachesTheChildThroughTheLineDiscipline() throws Exception {
        try (var h = new SupervisorHarness(quick(unit("cat", "cat"), RestartMode.NEVER), tmp)) {
            h.run(() -> h.supervisor.start("test"));
            h.awaitState(State.RUNNING);
            byte[] line = "hello\n".getBytes(StandardCharsets.US_ASCII);
            h.run(() -> h.supervisor.input(line, 0, line.length));
            h.awaitOutput("hello\nhello\n");
            h.run(() -> h.supervisor.input(new byte[] {3}, 0, 1));
            assertEquals("SIGINT", h.awaitState(State.EXITED).lastExit().orElseThrow().brief());
        }
    }

    @Test
    void inputForAChildThatDoesNotReadIsKeptInOrderUpToTheLimitAndTheRestDropped() throws Exception {
        Path go = tmp.resolve("go");
        Path got = tmp.resolve("got");
        // raw, so every byte reaches the child as sent; it reads nothing until told, then all it can
        try (var h = new SupervisorHarness(quick(unit("deaf", "sh", "-c",
                "stty raw -echo; echo ready; while [ ! -e " + go + " ]; do sleep 0.05; done; timeout --foreground 1 cat > " + got),
                RestartMode.NEVER), tmp)) {
            h.run(() -> h.supervisor.start("test"));
            h.awaitOutput("ready");
            byte[] sent = new byte[200 * 1024];
            for (int i = 0; i < sent.length; i++) {
                sent[i] = (byte) (i % 251);
            }
            for (int off = 0; off < sent.length; off += 4096) { // as a console client's reads arrive
                int at = off;
                h.run(() -> h.supervisor.input(sent, at, 4096));
            }
            Files.createFile(go);
            h.awaitState(State.EXITED);
            byte[] received = Files.readAllBytes(got);
            // 64 KiB queued by the manager, plus whatever the kernel's pty buffers took before it
            assertTrue(received.length >= 64 * 1024 && received.length < sent.length,
                    "the child got " + received.length + " of " + sent.length + " bytes");
            assertTrue(java.util.Arrays.equals(received, 0, received.length, sent, 0, received.length),
                    "what the child got is not the start of what was sent, in order");
        }
    }

    @Test
    void holdoffSpacesStartsOfAShortLivedChild() throws Exception {
        Path starts = tmp.resolve("starts");
        Unit u = restart(unit("holdoff", "sh", "-c", "date +%s%N >> " + starts),
                RestartMode.ALWAYS, Duration.ofMillis(400), 0, Duration.ofMinutes(10));
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            Eventually.await("three starts", SupervisorHarness.WAIT,
                    () -> Files.exists(starts) && lines(starts).size() >= 3);
            h.stop();
            List<String> t = lines(starts);
            for (int i = 1; i < t.size(); i++) {
                long gapMs = (Long.parseLong(t.get(i)) - Long.parseLong(t.get(i - 1))) / 1_000_000;
                assertTrue(gapMs >= 390, "starts " + (i - 1) + " and " + i + " only " + gapMs + " ms apart");
            }
        }
    }

    @Test
    void aChildThatRanLongerThanHoldoffRestartsAtOnce() throws Exception {
        Unit u = restart(unit("longrun", "sh", "-c", "echo up; sleep 0.3; exit 1"), RestartMode.ALWAYS,
                Duration.ofMillis(100), 0, Duration.ofMinutes(10));
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            Eventually.await("a restart", SupervisorHarness.WAIT, () -> h.status().restarts() >= 1);
            assertTrue(h.output().indexOf("up") != h.output().lastIndexOf("up") || h.status().restarts() >= 1);
            assertTrue(h.announcements().stream().noneMatch(l -> l.contains("Cannot start")));
        }
    }

    @Test
    void aCrashLoopHitsTheRestartLimitAndBecomesFatal() throws Exception {
        Unit u = restart(unit("crashy", "false"), RestartMode.ALWAYS, Duration.ZERO, 3, Duration.ofMinutes(1));
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            UnitStatus s = h.awaitState(State.FATAL);
            assertEquals(3, s.restarts());
            assertTrue(s.problem().orElseThrow().contains("restarted 3 times within 1min"), s.problem().toString());
        }
    }

    @Test
    void aMissingCommandIsFatalWithTheOsError() throws Exception {
        try (var h = new SupervisorHarness(unit("nocmd", "/nonexistent/st.cmd"), tmp)) {
            h.run(() -> h.supervisor.start("test"));
            UnitStatus s = h.awaitState(State.FATAL);
            assertTrue(s.problem().orElseThrow().contains("No such file or directory"), s.problem().toString());
            assertTrue(s.problem().orElseThrow().contains("/nonexistent/st.cmd"), s.problem().toString());
        }
    }

    @Test
    void aMissingChdirIsFatalWithTheOsError() throws Exception {
        Unit u = unit("nodir", "true");
        u = process(u, TestUnits.withChdir(u.process(), Path.of("/nonexistent/iocBoot")));
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            String problem = h.awaitState(State.FATAL).problem().orElseThrow();
            assertTrue(problem.contains("/nonexistent/iocBoot") && problem.contains("No such file or directory"), problem);
        }
    }

    @Test
    void twentyMegabytesOfOutputLandByteExactInTheLog() throws Exception {
        // 20 MiB of varied bytes, written raw (stty raw: no \n -> \r\n mapping) so the log must equal the file.
        Path data = tmp.resolve("data");
        byte[] bytes = new byte[20 << 20];
        new java.util.Random(42).nextBytes(bytes);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (' ' + (bytes[i] & 0x3f)); // printable: no line-discipline surprises
            if (i % 79 == 78) {
                bytes[i] = '\n';
            }
        }
        bytes[bytes.length - 1] = '\n'; // else the exit announcement starts a fresh line with one more '\n'
        Files.write(data, bytes);
        Unit u = quick(unit("flood", "sh", "-c", "stty raw -echo; cat " + data + "; sleep 0.2"), RestartMode.NEVER);
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            h.awaitState(State.EXITED);
            // 20 MiB is past the default max_size (10 MiB): the rotated files, oldest first, hold it all
            var all = new java.io.ByteArrayOutputStream();
            for (int i = 5; i >= 1; i--) {
                Path old = Path.of(h.logFile + "." + i);
                if (Files.exists(old)) {
                    all.write(Files.readAllBytes(old));
                }
            }
            all.write(Files.readAllBytes(h.logFile));
            byte[] log = all.toByteArray();
            String text = new String(log, StandardCharsets.ISO_8859_1);
            int start = text.indexOf(Announcements.SEPARATOR + "\n") + Announcements.SEPARATOR.length() + 1;
            int end = text.lastIndexOf(Announcements.SEPARATOR + "\n@@@ Received");
            byte[] body = java.util.Arrays.copyOfRange(log, start, end);
            assertEquals(sha256(bytes), sha256(body), "log differs from the child's output (" + body.length + " bytes)");
        }
    }

    @Test
    void anExitingChildsLastWordsReachTheLogAndTheConsoleBeforeItsExitLine() throws Exception {
        // a pty master hands out ~4 KiB per read: the exit must drain all of it, not one read's worth
        Path data = tmp.resolve("40k");
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 40 * 1024; i++) {
            text.append("line ").append(i).append(" of the child's last output\n");
        }
        Files.writeString(data, text);
        Unit u = quick(unit("lastwords", "sh", "-c", "cat " + data + "; echo LAST-LINE; exit 3"), RestartMode.NEVER);
        u = TestUnits.log(u, new LogSpec(new LogSpec.LogTarget.Default(), false, new TimestampFormat(""), 10L << 20, 5));
        for (int round = 0; round < 5; round++) {
            Files.deleteIfExists(tmp.resolve("lastwords.log"));
            try (var h = new SupervisorHarness(u, tmp)) {
                StringBuffer seen = new StringBuffer(); // what one console client sees, in order
                h.run(() -> h.supervisor.addListener(new OutputListener() {
                    @Override
                    public void output(byte[] buf, int off, int len) {
                        seen.append(new String(buf, off, len, StandardCharsets.ISO_8859_1));
                    }

                    @Override
                    public void announce(List<String> lines) {
                        lines.forEach(line -> seen.append(line).append('\n'));
                    }
                }));
                h.run(() -> h.supervisor.start("test"));
                assertEquals(3, h.awaitState(State.EXITED).lastExit().orElseThrow().code());
                String log = Files.readString(h.logFile).replace("\r", "");
                assertTrue(log.contains("LAST-LINE\n" + Announcements.SEPARATOR + "\n@@@ Received a sigChild"),
                        "round " + round + ": the log lacks the last line before the exit lines (" + log.length()
                                + " chars), it ends: " + log.substring(Math.max(0, log.length() - 400)));
                String console = seen.toString().replace("\r", "");
                assertTrue(console.contains("LAST-LINE\n"), "round " + round + ": the console never got the last line");
                assertTrue(console.indexOf("LAST-LINE") < console.lastIndexOf("@@@ Received a sigChild"),
                        "round " + round + ": the exit line came before the child's last words");
            }
        }
    }

    @Test
    void aStopDuringARestartWins() throws Exception {
        // the child ignores SIGTERM, so the restart's stop lasts until the SIGKILL after stop_timeout
        Unit u = unit("stubborn", "sh", "-c", "trap '' TERM; echo up; while :; do sleep 1; done");
        u = quick(process(u, TestUnits.withStop(u.process(), Signal.TERM, Duration.ofMillis(1500))), RestartMode.ALWAYS);
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            h.awaitState(State.RUNNING);
            h.awaitOutput("up");
            var restarted = h.call(() -> h.supervisor.restart("test"));
            var stopped = h.call(() -> h.supervisor.stop("test"));
            UnitStatus s = stopped.get(SupervisorHarness.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(State.STOPPED, s.state(), "stop answered " + s);
            restarted.get(SupervisorHarness.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(State.STOPPED, h.status().state(), "the restart started the child after the stop");
            assertTrue(h.status().pid().isEmpty());
        }
    }

    @Test
    void aStartThatFailsUnexpectedlyIsFatalWithTheReasonNotStuckStarting() throws Exception {
        // an env file saved as UTF-16 without a BOM or final newline: its NUL bytes cannot reach the
        // child's environment, and LaunchSpec refuses them with an IllegalArgumentException
        Path envFile = tmp.resolve("utf16.env");
        Files.write(envFile, "SITE=bl1".getBytes(StandardCharsets.UTF_16LE));
        Unit u = unit("badenv", "sleep", "1000");
        u = quick(process(u, TestUnits.withEnvFile(u.process(), envFile)), RestartMode.ALWAYS);
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            UnitStatus s = h.status();
            assertEquals(State.FATAL, s.state(), "after start: " + s);
            assertTrue(s.problem().orElseThrow().contains("NUL"), s.problem().orElseThrow());
            assertTrue(s.pid().isEmpty());
        }
    }

    @Test
    void rotationKeepsExactlyKeepOldFiles() throws Exception {
        Unit u = quick(unit("rotating", "sh", "-c", "i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done"),
                RestartMode.NEVER);
        u = TestUnits.log(u, new LogSpec(new LogSpec.LogTarget.Default(), false, new TimestampFormat("%T "), 4096, 3));
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            h.awaitState(State.EXITED);
            for (int i = 1; i <= 3; i++) {
                assertTrue(Files.exists(Path.of(h.logFile + "." + i)), "missing " + h.logFile + "." + i);
            }
            assertFalse(Files.exists(Path.of(h.logFile + ".4")));
            assertTrue(Files.readString(h.logFile).contains("@@@ Received a sigChild"));
        }
    }

    @Test
    void pidFileFollowsTheChildAndTheInfoFileHoldsExactlyProcServsLinesInEveryState() throws Exception {
        // strict procServ-style parsers reject unknown lines: pid:<manager pid>, then the endpoints, nothing else
        Unit u = restart(unit("files", "sh", "-c", "echo up; sleep 0.2; exit 1"), RestartMode.ALWAYS,
                Duration.ofMillis(300), 0, Duration.ofMinutes(10));
        String expected = "pid:" + ProcessHandle.current().pid() + "\nunix:/run/x/control\nunix:/run/x/log\n";
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.setEndpoints(List.of("unix:/run/x/control"), List.of("unix:/run/x/log")));
            Path info = h.runDir.resolve("info");
            assertEquals(expected, read(info), "STOPPED");
            h.run(() -> h.supervisor.start("test"));
            int pid = h.awaitState(State.RUNNING).pid().orElseThrow();
            assertEquals(pid + "\n", read(h.runDir.resolve("pid")));
            assertEquals(expected, read(info), "RUNNING");
            h.awaitState(State.BACKOFF);
            assertFalse(Files.exists(h.runDir.resolve("pid")), "no pid file while no child runs");
            assertEquals(expected, read(info), "BACKOFF");
            h.stop();
            assertEquals(expected, read(info), "STOPPED again");
        }
        assertFalse(Files.exists(tmp.resolve("run/files/info")), "unload removes the info file");
    }

    @Test
    void restartRunsANewChild() throws Exception {
        try (var h = new SupervisorHarness(unit("again", "sleep", "1000"), tmp)) {
            h.run(() -> h.supervisor.start("test"));
            int first = h.awaitState(State.RUNNING).pid().orElseThrow();
            UnitStatus s = h.call(() -> h.supervisor.restart("test")).get();
            assertEquals(State.RUNNING, s.state());
            assertTrue(s.pid().orElseThrow() != first);
        }
    }

    @Test
    void asRootAUnitWithUserNobodyRunsAsNobody() throws Exception {
        assumeTrue(LibC.geteuid() == 0, "needs root (CI runs as root)");
        Unit u = quick(unit("asnobody", "sh", "-c", "id -un; tty"), RestartMode.NEVER);
        u = process(u, TestUnits.withUser(u.process(), "nobody"));
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            h.awaitState(State.EXITED);
            assertTrue(h.output().matches("(?s)nobody\n/dev/pts/\\d+\n.*"), h.output());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path p) {
        try {
            return new ArrayList<>(Files.readAllLines(p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
