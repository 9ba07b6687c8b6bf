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
            assertTrue(Files.readString(h.runDir.resolve("info")).contains("state:EXITED"));
        }
    }

    @Test
    void aRestartWaitingForTheStopDoesNotStartTheChildOfAnUnloadedUnit() throws Exception {
        try (var h = new SupervisorHarness(quick(unit("going", "sleep", "1000"), RestartMode.ALWAYS), tmp)) {
            h.run(() -> h.supervisor.start("test"));
            h.awaitState(State.RUNNING);
            var unloaded = h.call(() -> {
                h.supervisor.restart("test"); // stops, and would start again once stopped...
                return h.supervisor.unload("shutdown"); // ...but the unit is removed meanwhile
            });
            unloaded.get(SupervisorHarness.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            UnitStatus after = h.status();
            assertEquals(State.STOPPED, after.state(), after::toString);
            assertTrue(after.pid().isEmpty(), "no new child after the unload: " + after);
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
            assertTrue(h.states().contains(State.STOPPING));
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
    void pidAndInfoFilesFollowTheChild() throws Exception {
        try (var h = new SupervisorHarness(unit("files", "sleep", "1000"), tmp)) {
            h.run(() -> h.supervisor.setEndpoints(List.of("unix:/run/x/control"), List.of()));
            h.run(() -> h.supervisor.start("test"));
            int pid = h.awaitState(State.RUNNING).pid().orElseThrow();
            assertEquals(pid + "\n", Files.readString(h.runDir.resolve("pid")));
            assertEquals("pid:" + ProcessHandle.current().pid() + "\nunix:/run/x/control\nchild:" + pid
                    + "\nstate:RUNNING\n", Files.readString(h.runDir.resolve("info")));
            h.stop();
            assertFalse(Files.exists(h.runDir.resolve("pid")));
            assertTrue(Files.readString(h.runDir.resolve("info")).endsWith("state:STOPPED\n"));
        }
        assertFalse(Files.exists(tmp.resolve("run/files/info")), "unload removes the info file");
    }

    @Test
    void afterAQuickCrashLoopTheInfoFileShowsWhereItEnded() throws Exception {
        // a child that exits at once: its starts, exits and restarts come in bursts of changes
        Unit u = restart(unit("burst", "false"), RestartMode.ALWAYS, Duration.ZERO, 3, Duration.ofMinutes(1));
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.setEndpoints(List.of("unix:/run/x/control"), List.of()));
            h.run(() -> h.supervisor.start("test"));
            Path info = h.runDir.resolve("info");
            // only the file is watched, no status request: it must catch up by itself
            Eventually.await("state:FATAL in " + info, SupervisorHarness.WAIT, () -> read(info).contains("state:FATAL"));
            assertEquals("pid:" + ProcessHandle.current().pid() + "\nunix:/run/x/control\nstate:FATAL\n", read(info));
            assertEquals(State.FATAL, h.status().state());
        }
    }

    @Test
    void whenStatusAnswersAStateTheInfoFileAlreadyShowsIt() throws Exception {
        Unit u = restart(unit("flap", "sh", "-c", "exit 1"), RestartMode.ALWAYS, Duration.ZERO, 0, Duration.ofMinutes(10));
        try (var h = new SupervisorHarness(u, tmp)) {
            h.run(() -> h.supervisor.start("test"));
            Path info = h.runDir.resolve("info");
            Set<State> seen = EnumSet.noneOf(State.class);
            Eventually.await("5 restarts", SupervisorHarness.WAIT, () -> {
                // both on the loop, as the manager answers: nothing changes between the answer and the read
                var answered = h.call(() -> Map.entry(h.supervisor.status(), read(info)));
                UnitStatus s = answered.getKey();
                String file = answered.getValue();
                seen.add(s.state());
                assertTrue(file.endsWith("state:" + s.state() + "\n"), "status " + s.state() + ", info file:\n" + file);
                assertEquals(s.pid().isPresent(), file.contains("child:" + s.pid().orElse(-1) + "\n"), file);
                assertEquals(s.pid().isPresent(), file.contains("child:"), file);
                return s.restarts() >= 5;
            });
            assertTrue(seen.contains(State.BACKOFF), "sampled " + seen);
        }
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
