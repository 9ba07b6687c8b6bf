package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import dev.manageprocs.testing.Tmux;
import dev.manageprocs.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code manage-procs attach} as an operator uses it: in a real terminal (tmux), against a real manager,
 * the demo IOC and a shell; and from scripts, with stdin a pipe.
 */
class AttachIT {
    private static final Path HOME = Path.of(System.getProperty("manageprocs.home", ".")).toAbsolutePath();
    private static final String SHELL_UNIT = """
            [process]
            command = ["sh"]
            env = { PS1 = "unit> " }
            stop_signal = "SIGHUP"  # an interactive sh ignores SIGTERM
            [restart]
            holdoff = "0s"
            """;

    @TempDir
    Path tmp;

    private ManagerProcess manager;

    @BeforeEach
    void startManager() throws Exception {
        manager = new ManagerProcess(tmp.resolve("m"));
        manager.writeUnit("demo", """
                [process]
                command = ["./ioc.sh"]
                chdir = "%s"
                env = { DEMO_HEARTBEAT = "600" }
                """.formatted(HOME.resolve("units/demo-ioc")));
        manager.writeUnit("shell", SHELL_UNIT);
        assertEquals(0, manager.cli("reload").exit());
    }

    @AfterEach
    void stopManager() throws Exception {
        manager.close();
    }

    private Tmux terminal(int cols, int rows) {
        Tools.require("tmux");
        Tmux t = new Tmux(tmp, manager.environment(), cols, rows);
        t.run("MP='" + ManagerProcess.launcher().toAbsolutePath() + " --user'");
        return t;
    }

    @Test
    void typeACommandSeeTheAnswerDetachWithCtrlDAndTheTerminalIsAsBefore() throws Exception {
        try (Tmux t = terminal(100, 30)) {
            t.run("stty -a > before.txt; echo saved$((1+1))");
            t.awaitScreen("saved2");
            t.run("$MP attach demo");
            t.awaitScreen("@@@ attached to demo — ^D detaches");
            t.awaitScreen("live output follows");
            t.press("C-c"); // in the unit's ignore list: never reaches the IOC (it would end the bash stand-in)
            t.run("dbl");
            t.awaitScreen("demo:temperature");
            t.press("C-d");
            t.awaitScreen("@@@ detached from demo");
            t.run("stty -a > after.txt; echo restored$((1+1))");
            t.awaitScreen("restored2");
            assertEquals(Files.readString(tmp.resolve("before.txt")), Files.readString(tmp.resolve("after.txt")),
                    "stty -a after detaching");
            assertTrue(manager.cli("status", "demo").out().contains("RUNNING"), "^C and ^D did not reach the IOC");
            assertEquals("0 restarts", restarts("demo"));
        }
    }

    @Test
    void staysAttachedWhileTheChildRestarts() throws Exception {
        try (Tmux t = terminal(100, 30)) {
            t.run("$MP attach shell");
            t.awaitScreen("@@@ attached to shell");
            t.awaitScreen("unit> ");
            t.run("exit");
            t.awaitScreen("@@@ Restarting child \"shell\"", 2);
            t.run("echo still''here");
            t.awaitScreen("stillhere");
            t.press("C-d");
            t.awaitScreen("@@@ detached from shell");
        }
    }

    @Test
    void sigtermToTheClientLeavesTheTerminalSane() throws Exception {
        try (Tmux t = terminal(100, 30)) {
            t.run("stty -a > before.txt; echo saved$((1+1))");
            t.awaitScreen("saved2");
            t.run("$MP attach shell");
            t.awaitScreen("@@@ attached to shell");
            ProcessHandle client = ProcessHandle.of(t.shellPid()).orElseThrow().children().findFirst()
                    .orElseThrow(() -> new AssertionError("no attach client under the terminal's shell"));
            assertTrue(client.destroy(), "SIGTERM sent");
            assertTrue(client.onExit().get(10, TimeUnit.SECONDS) != null);
            t.run("stty -a > after.txt; echo restored$((1+1))");
            t.awaitScreen("restored2");
            assertEquals(Files.readString(tmp.resolve("before.txt")), Files.readString(tmp.resolve("after.txt")),
                    "stty -a after SIGTERM");
        }
    }

    @Test
    void theChildsWindowFollowsTheAttachedTerminal() throws Exception {
        try (Tmux t = terminal(100, 30)) {
            t.run("$MP attach shell");
            t.awaitScreen("@@@ attached to shell");
            t.run("stty size");
            t.awaitScreen("30 100");
            t.resize(120, 40);
            t.run("stty size");
            t.awaitScreen("40 120");
            t.press("C-d");
            t.awaitScreen("@@@ detached from shell");
        }
    }

    @Test
    void withStdinAPipeItSendsTheInputPrintsTheAnswerAndExits() throws Exception {
        long start = System.nanoTime();
        Run r = attach(List.of("demo"), "dbl\n");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("@@@ attached to demo — ^D detaches\r\n"), r.toString());
        assertTrue(r.out().contains("demo:temperature"), r.toString());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "it exits soon after the answer");

        Run missing = attach(List.of("nosuch"), "");
        assertEquals(4, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("no unit matches 'nosuch'"), missing.toString());
    }

    @Test
    void timeoutEndsASessionWhoseInputNeverEnds() throws Exception {
        Process p = start(List.of("shell", "--timeout", "1s"));
        Output out = Output.of(p);
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "attach --timeout 1s ended");
        assertEquals(0, p.exitValue(), out.text());
        assertTrue(out.text().contains("@@@ attached to shell"), out.text());
        p.getOutputStream().close();
    }

    @Test
    void removingTheUnitEndsTheSessionWithExit1() throws Exception {
        Process p = start(List.of("shell"));
        Output out = Output.of(p);
        Eventually.until(() -> out.text().contains("live output follows"), out::text);
        assertEquals(0, manager.cli("remove", "-f", "shell").exit());
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "attach ended when its unit went");
        assertEquals(1, p.exitValue());
        assertTrue(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
                .contains("unit shell was removed, so its console closed"));
    }

    @Test
    void readOnlySeesOutputButNothingItTypesReachesTheChildAndCtrlDDetaches() throws Exception {
        Process watcher = start(List.of("shell", "--read-only"));
        Output seen = Output.of(watcher);
        Eventually.until(() -> seen.text().contains("@@@ attached to shell (read-only)"), seen::text);
        OutputStream in = watcher.getOutputStream();
        in.write("echo from''watcher\r".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        Run writer = attach(List.of("shell"), "echo from''writer\n");
        assertEquals(0, writer.exit(), writer.toString());
        Eventually.until(() -> seen.text().contains("fromwriter"), seen::text);
        in.write(4);
        in.flush();
        assertTrue(watcher.waitFor(10, TimeUnit.SECONDS), "^D detached the read-only session");
        assertEquals(0, watcher.exitValue(), seen.text());
        assertFalse(seen.text().contains("fromwatcher") || writer.out().contains("fromwatcher"),
                "the read-only input never ran:\n" + seen.text());
    }

    @Test
    void aKeyPressedThroughAttachIsAuditedUnderTheOperatorNotTheManager() throws Exception {
        Run r = attach(List.of("shell"), "\u0014"); // ^T, the toggle key
        assertEquals(0, r.exit(), r.toString());
        Eventually.until(() -> manager.managerOutput().contains("shell: toggle key: auto restart is now never "
                + "requested by 'root' (uid 0) through attach"), manager::managerOutput);
        assertFalse(manager.managerOutput().contains("requested by unix:"), manager.managerOutput());
    }

    @Test
    void aUnitWithNoConsoleEndpointCanStillBeAttached() throws Exception {
        manager.writeUnit("quiet", SHELL_UNIT + """
                [console]
                listen = []
                """);
        assertEquals(0, manager.cli("reload").exit());
        Run r = attach(List.of("quiet"), "echo reached''quiet\n");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("reachedquiet"), r.toString());
    }

    private String restarts(String unit) {
        String line = manager.cli("status", unit).out().lines().skip(1).findFirst().orElse("");
        return line.split("\\s+")[4] + " restarts";
    }

    /** One CLI run's result. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Process start(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ManagerProcess.launcher().toString(), "--user", "attach"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(manager.environment());
        return pb.start();
    }

    private Run attach(List<String> args, String input) throws Exception {
        Process p = start(args);
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        Output out = Output.of(p);
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "attach " + args + " ended");
        out.thread.join();
        return new Run(p.exitValue(), out.text(), new String(err, StandardCharsets.UTF_8));
    }

    /** A process's stdout, collected as it comes. */
    private record Output(ByteArrayOutputStream bytes, Thread thread) {
        static Output of(Process p) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            InputStream in = p.getInputStream();
            Thread t = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        synchronized (bytes) {
                            bytes.write(buf, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            return new Output(bytes, t);
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
