package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Captured;
import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import dev.manageprocs.testing.Tmux;
import dev.manageprocs.testing.Tools;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * attach and logs -f across a live re-exec of a real manager ({@code manage-procs daemon-reexec}): the
 * re-exec cuts their streams, and they connect again by themselves, say so in one line, and go on where
 * they were: the same console, the log without a line lost or repeated.
 */
class ReattachIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** A line every 20 ms, numbered: a gap or a repeat in what logs -f prints shows in the numbers. */
    private static final String TICKER = """
            [process]
            command = ["bash", "-c", "i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.02; done"]
            """;

    @TempDir
    Path tmp;

    private ManagerProcess manager;

    @BeforeEach
    void start() throws Exception {
        manager = new ManagerProcess(tmp.resolve("m"));
        manager.writeUnit("ticker-a", TICKER);
        manager.writeUnit("ticker-b", TICKER);
        manager.writeUnit("shell", """
                [process]
                command = ["sh"]
                env = { PS1 = "unit> " }
                stop_signal = "SIGHUP"
                """);
        assertEquals(0, manager.cli("reload").exit());
    }

    @AfterEach
    void stop() throws Exception {
        manager.close();
    }

    private void reexec() {
        ManagerProcess.Result r = manager.cli("daemon-reexec");
        assertEquals(0, r.exit(), r + "\n--- manager\n" + manager.managerOutput());
    }

    private Process cli(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ManagerProcess.launcher().toString(), "--user"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(manager.environment());
        return pb.start();
    }

    private static final Pattern TICK = Pattern.compile("(?m)^(ticker-[ab]) +\\| \\S+ \\S+ tick (\\d+)\\r?$");

    /** Each unit's tick numbers in the order printed. */
    private static Map<String, List<Integer>> ticks(String text) {
        Map<String, List<Integer>> ticks = new HashMap<>();
        Matcher m = TICK.matcher(text);
        while (m.find()) {
            ticks.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
        }
        return ticks;
    }

    private static int last(Map<String, List<Integer>> ticks, String unit) {
        List<Integer> t = ticks.getOrDefault(unit, List.of());
        return t.isEmpty() ? -1 : t.get(t.size() - 1);
    }

    @Test
    void logsFollowGoesOnWhereItStoppedWithNoLineLostOrRepeated() throws Exception {
        Process logs = cli("logs", "-f", "ticker-*");
        Captured out = Captured.from(logs.getInputStream());
        Captured err = Captured.from(logs.getErrorStream());
        Eventually.await("logs -f printing both units", WAIT,
                () -> last(ticks(out.text()), "ticker-a") > 20 && last(ticks(out.text()), "ticker-b") > 20);

        reexec();
        Eventually.await("the line saying logs -f follows again", WAIT, () -> err.text().contains("\n")
                || !logs.isAlive());
        assertEquals("manage-procs: the manager re-executed; following ticker-* again\n", err.text());
        Map<String, List<Integer>> atReexec = ticks(out.text());
        // two seconds of new lines after the notice: well past what was logged during the gap
        Eventually.await("new lines after the re-exec", WAIT, () -> {
            Map<String, List<Integer>> now = ticks(out.text());
            return last(now, "ticker-a") > last(atReexec, "ticker-a") + 100
                    && last(now, "ticker-b") > last(atReexec, "ticker-b") + 100;
        });
        logs.destroy();
        assertTrue(logs.waitFor(10, TimeUnit.SECONDS));

        for (Map.Entry<String, List<Integer>> unit : ticks(out.text()).entrySet()) {
            List<Integer> t = unit.getValue();
            for (int i = 1; i < t.size(); i++) {
                int at = i;
                assertEquals(t.get(i - 1) + 1, t.get(i), () -> unit.getKey() + " printed tick " + t.get(at) + " after "
                        + t.get(at - 1) + ":\n" + out.text());
            }
        }
        assertEquals("manage-procs: the manager re-executed; following ticker-* again\n", err.text(), "one line, once");
    }

    @Test
    void anAttachedTerminalIsReattachedAndKeepsWorking() throws Exception {
        Tools.require("tmux");
        String shellPid = Files.readString(manager.runDir.resolve("shell/pid")).strip();
        try (Tmux t = new Tmux(tmp, manager.environment(), 100, 30)) {
            t.run("MP='" + ManagerProcess.launcher().toAbsolutePath() + " --user'");
            t.run("$MP attach shell");
            t.awaitScreen("@@@ attached to shell");
            t.awaitScreen("unit> ");
            reexec();
            t.awaitScreen("manage-procs: the manager re-executed; reattached to shell");
            t.awaitScreen("@@@ attached to shell", 2);
            t.run("echo still''here");
            t.awaitScreen("stillhere");
            t.press("C-d");
            t.awaitScreen("@@@ detached from shell");
        }
        assertEquals(shellPid, Files.readString(manager.runDir.resolve("shell/pid")).strip(), "the same shell");
    }

    @Test
    void anAttachFedByAPipeIsReattachedToo() throws Exception {
        Process attach = cli("attach", "shell");
        Captured out = Captured.from(attach.getInputStream());
        Captured err = Captured.from(attach.getErrorStream());
        OutputStream in = attach.getOutputStream();
        in.write("echo one''one\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        Eventually.await("the first answer", WAIT, () -> out.text().contains("oneone"));

        reexec();
        Eventually.await("the line saying attach reattached", WAIT, () -> err.text().contains("\n") || !attach.isAlive());
        assertEquals("manage-procs: the manager re-executed; reattached to shell\n", err.text());
        in.write("echo two''two\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        Eventually.await("the answer after the re-exec", WAIT, () -> out.text().contains("twotwo"));
        in.close();
        assertTrue(attach.waitFor(20, TimeUnit.SECONDS), "attach ended after its input");
        assertEquals(0, attach.exitValue(), out.text() + err.text());
        assertEquals(2, Tmux.count(out.text(), "@@@ attached to shell"), out.text());
    }
}
