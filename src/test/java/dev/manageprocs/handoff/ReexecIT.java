package dev.manageprocs.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.control.ControlClient;
import dev.manageprocs.control.Ping;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.SocketPath;
import dev.manageprocs.testing.Captured;
import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * daemon-reexec against a real manager: its children, console clients, logs, counters and deadlines must
 * come through the exec untouched, and a re-exec the new code cannot take must change nothing.
 */
class ReexecIT {
    private static final int COUNTERS = 100;
    /** Prints "seq N" every 10 ms without forking (read -t on a pipe nobody writes is the sleep). */
    private static final String COUNTER = "exec 3<> <(:); i=0; while :; do i=$((i+1)); echo seq $i; read -t 0.01 -u 3; done";
    private static final Duration HOLDOFF = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private static String counter(String console, String log) {
        return """
                [process]
                command = ["bash", "-c", "%s"]
                [console]
                %s
                [log]
                timestamp = false
                %s
                """.formatted(COUNTER, console, log);
    }

    private record Row(String state, long pid, Instant since, int restarts, String lastExit) {
    }

    private static final Pattern ROW = Pattern.compile(
            "\\{\"name\":\"([^\"]+)\",\"state\":\"(\\w+)\",\"pid\":(\\d+|null),\"since\":\"([^\"]+)\",.*?\"restarts\":(\\d+),.*?\"last_exit\":(null|\\{[^}]*\\})");

    private static Map<String, Row> status(ManagerProcess m) {
        ManagerProcess.Result r = m.cli("status", "--json");
        Map<String, Row> rows = new HashMap<>();
        for (String line : r.out().split("\n")) {
            Matcher x = ROW.matcher(line);
            if (!x.find()) {
                assertTrue(line.matches("\\s*\\[?\\]?\\s*"), () -> "a status line the test cannot read: " + line);
                continue;
            }
            rows.put(x.group(1), new Row(x.group(2), x.group(3).equals("null") ? -1 : Long.parseLong(x.group(3)),
                    Instant.parse(x.group(4)), Integer.parseInt(x.group(5)), x.group(6)));
        }
        return rows;
    }

    private static ControlClient client(ManagerProcess m) {
        return new ControlClient(new SocketPath(m.runDir.resolve("control.sock"), false));
    }

    private static Ping ping(ManagerProcess m) {
        return Ping.parse(client(m).send(Request.of("ping")).out()).orElseThrow();
    }

    /** Asks for a re-exec and waits until the new code answers; returns the reply. */
    private static Response reexec(ManagerProcess m, Runnable duringTheGap) {
        Ping before = ping(m);
        Response r = client(m).send(Request.of("daemon-reexec"));
        assertEquals(0, r.exitCode(), r::toString);
        duringTheGap.run();
        Eventually.await("generation " + (before.generation() + 1), ManagerProcess.WAIT, () -> {
            Response p = client(m).send(Request.of("ping"));
            return p.exitCode() == 0 && Ping.parse(p.out()).map(x -> x.generation() == before.generation() + 1).orElse(false);
        });
        assertEquals(before.pid(), ping(m).pid(), "the manager keeps its pid");
        return r;
    }

    /** The jar the manager runs, copied so the test can replace it (as a package upgrade does). */
    private Path jarCopy() throws IOException {
        String built = System.getProperty("manageprocs.jar",
                Path.of(System.getProperty("manageprocs.home", ".")).resolve("target/manage-procs.jar").toString());
        Path jar = Files.createDirectories(tmp.resolve("jar")).resolve("manage-procs.jar");
        Files.copy(Path.of(built), jar);
        return jar;
    }

    /** A copy of the jar that says it is version {@code version}, moved over {@code jar} in one rename. */
    private static void installVersion(Path jar, String version) throws IOException {
        Path next = jar.resolveSibling("next.jar");
        Files.copy(jar, next, StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + next.toUri()), Map.of())) {
            Files.writeString(zip.getPath("/dev/manageprocs/version.properties"), "version=" + version + "\n");
        }
        Files.move(next, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String versionIn(Path jar) throws IOException {
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            Properties p = new Properties();
            p.load(Files.newBufferedReader(zip.getPath("/dev/manageprocs/version.properties")));
            return p.getProperty("version");
        }
    }

    /** The unit's console log and its rotated files, oldest first, as one text. */
    private static String wholeLog(ManagerProcess m, String unit) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(m.logDir)) {
            s.filter(p -> p.getFileName().toString().startsWith(unit + ".log.")).forEach(files::add);
        }
        files.sort((a, b) -> Integer.compare(suffix(b), suffix(a)));
        files.add(m.logDir.resolve(unit + ".log"));
        StringBuilder all = new StringBuilder();
        for (Path f : files) {
            all.append(Files.readString(f, StandardCharsets.UTF_8));
        }
        return all.toString();
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static int suffix(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring(n.lastIndexOf('.') + 1));
    }

    /** The manager's pty masters and pidfds (all adopted after a re-exec) that lack FD_CLOEXEC. */
    private static List<String> withoutCloseOnExec(long pid) throws IOException {
        List<String> open = new ArrayList<>();
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        try (Stream<Path> s = Files.list(fds)) {
            for (Path fd : s.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue;
                }
                if (!target.equals("/dev/ptmx") && !target.equals("anon_inode:[pidfd]")) {
                    continue;
                }
                String flags = Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo", fd.getFileName().toString()))
                        .stream().filter(l -> l.startsWith("flags:")).findFirst().orElse("flags: 0");
                if ((Long.parseLong(flags.substring("flags:".length()).strip(), 8) & 02000000) == 0) {
                    open.add(fd.getFileName() + " -> " + target);
                }
            }
        }
        return open;
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static int tcpPort(ManagerProcess m, String unit) throws IOException {
        return Files.readAllLines(m.runDir.resolve(unit).resolve("info")).stream()
                .filter(l -> l.startsWith("tcp:127.0.0.1:")).map(l -> Integer.parseInt(l.substring("tcp:127.0.0.1:".length())))
                .findFirst().orElseThrow();
    }

    @Test
    void aHundredUnitsKeepTheirChildrenClientsLogsAndCountersAcrossFourReexecs() throws Exception {
        Path jar = jarCopy();
        Path root = tmp.resolve("m");
        Files.createDirectories(root.resolve("config/manage-procs/units"));
        Path units = root.resolve("config/manage-procs/units");
        for (int i = 1; i <= COUNTERS; i++) {
            String name = "u%03d".formatted(i);
            String console = switch (i) {
                case 2 -> "listen = [\"tcp:127.0.0.1:0\"]";
                case 3 -> "log_listen = [\"unix:default\"]";
                default -> "";
            };
            // u004 rotates every few seconds, so rotations happen around the re-execs
            String log = i == 4 ? "max_size = \"2KiB\"\nkeep = 500" : "";
            Files.writeString(units.resolve(name + ".toml"), counter(console, log));
        }
        Path tries = tmp.resolve("tries");
        Files.writeString(units.resolve("flaky.toml"), """
                [process]
                command = ["sh", "-c", "n=$(cat %s 2>/dev/null || echo 0); echo $((n+1)) > %s; [ $n -ge 2 ] && exec sleep 100000; exit 1"]
                [restart]
                holdoff = "0s"
                """.formatted(tries, tries));
        Files.writeString(units.resolve("backoff.toml"), """
                [process]
                command = ["sh", "-c", "exit 1"]
                [restart]
                holdoff = "%ds"
                """.formatted(HOLDOFF.toSeconds()));
        Files.writeString(units.resolve("victim.toml"), """
                [process]
                command = ["sleep", "100000"]
                [restart]
                holdoff = "0s"
                """);
        try (var m = new ManagerProcess(root, Map.of("MANAGE_PROCS_JAR", jar.toString()))) {
            Eventually.await("every unit up", ManagerProcess.WAIT, () -> {
                Map<String, Row> s = status(m);
                return s.size() == COUNTERS + 3 && s.get("flaky").restarts() == 2 && s.get("flaky").state().equals("RUNNING")
                        && s.get("backoff").state().equals("BACKOFF")
                        && s.entrySet().stream().filter(e -> !e.getKey().equals("backoff"))
                                .allMatch(e -> e.getValue().state().equals("RUNNING"));
            });
            Map<String, Row> before = status(m);
            try (ConsoleTap unix = ConsoleTap.unix(m.runDir.resolve("u001/control"));
                 ConsoleTap tcp = ConsoleTap.tcp(tcpPort(m, "u002"));
                 ConsoleTap readOnly = ConsoleTap.unix(m.runDir.resolve("u003/log"))) {
                List<ConsoleTap> taps = List.of(unix, tcp, readOnly);
                Eventually.await("output on every client", ManagerProcess.WAIT,
                        () -> taps.stream().allMatch(t -> t.sequence().size() > 10));
                Process follow = m.cliProcess("logs", "-f", "u005");
                Captured followed = Captured.from(follow.getInputStream());

                AtomicBoolean hammering = new AtomicBoolean(true);
                List<String> statusFailures = Collections.synchronizedList(new ArrayList<>());
                Thread hammer = Thread.ofPlatform().start(() -> {
                    while (hammering.get()) {
                        ManagerProcess.Result r = m.cli("status");
                        if (r.exit() != 0 && r.exit() != 3) {
                            statusFailures.add(r.toString());
                        }
                    }
                });
                try {
                    reexec(m, () -> { });
                    long victim = before.get("victim").pid();
                    reexec(m, () -> {
                        // the trial state is replaced by the final one on the loop just before the exec: from
                        // then on only the new program can reap the victim
                        Path state = m.runDir.resolve("handoff.state");
                        Object trial = fileKey(state);
                        Eventually.await("the final state", ManagerProcess.WAIT, () -> !Objects.equals(trial, fileKey(state)));
                        ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
                    });
                    reexec(m, () -> { });
                    String old = versionIn(jar);
                    installVersion(jar, old + "-next");
                    Response upgrade = reexec(m, () -> { });
                    assertTrue(upgrade.out().contains(old + " \u2192 " + old + "-next"), upgrade::toString);
                    assertEquals(old + "-next", ping(m).version());
                    int last = unix.sequence().size();
                    Eventually.await("output after the last re-exec", ManagerProcess.WAIT,
                            () -> taps.stream().allMatch(t -> t.sequence().size() > last + 50));
                } finally {
                    hammering.set(false);
                    hammer.join();
                }
                assertEquals(List.of(), statusFailures, "status failed during a re-exec");
                assertEquals(List.of(), withoutCloseOnExec(m.pid()), "adopted fds a later child could inherit");

                Map<String, Row> after = status(m);
                assertEquals(before.keySet(), after.keySet(), () -> "units lost; manager log:\n" + tail(m.managerOutput()));
                for (int i = 1; i <= COUNTERS; i++) {
                    String name = "u%03d".formatted(i);
                    assertEquals(before.get(name).pid(), after.get(name).pid(), name + " keeps its child");
                    assertEquals(0, after.get(name).restarts(), name);
                }
                assertEquals(before.get("flaky").pid(), after.get("flaky").pid());
                assertEquals(2, after.get("flaky").restarts(), "flaky keeps its restart count");
                assertNotEquals(before.get("victim").pid(), after.get("victim").pid(), "victim was restarted");
                assertEquals(1, after.get("victim").restarts());
                assertTrue(after.get("victim").lastExit().contains("SIGKILL"), "the true exit signal of the victim: "
                        + after.get("victim").lastExit());

                for (ConsoleTap t : taps) {
                    assertFalse(t.hungUp(), "a client was disconnected");
                    List<Long> seq = t.sequence();
                    assertEquals("", ConsoleTap.firstGap(seq), "a client's sequence has a gap");
                    assertEquals(4, Pattern.compile("@@@ manager re-executed \\(version ").matcher(t.text()).results().count(),
                            () -> t.text().substring(Math.max(0, t.text().length() - 2000)));
                }
                for (int i = 1; i <= COUNTERS; i++) {
                    String name = "u%03d".formatted(i);
                    List<Long> seq = ConsoleTap.sequenceIn(wholeLog(m, name));
                    assertEquals(1L, seq.get(0), name + " log starts at 1");
                    assertEquals("", ConsoleTap.firstGap(seq), name + "'s log has a gap");
                }
                assertTrue(Files.list(m.logDir).filter(p -> p.getFileName().toString().startsWith("u004.log.")).count() > 3,
                        "u004 rotated around the re-execs");
                assertTrue(follow.isAlive(), "logs -f ended");
                follow.destroy();
                follow.waitFor();
                List<Long> followedSeq = ConsoleTap.sequenceIn(followed.text());
                assertEquals("", ConsoleTap.firstGap(followedSeq), "logs -f has a gap or a repeat");
            }
            // the holdoff deadline set before the re-execs holds: the manager's own clock says when it waited
            // and when it came back (a deadline reset by a re-exec would come at least holdoff after that)
            Eventually.await("backoff restarted", HOLDOFF.plusSeconds(10), () -> status(m).get("backoff").restarts() == 1);
            Duration waited = Duration.between(before.get("backoff").since(), status(m).get("backoff").since());
            assertTrue(waited.compareTo(HOLDOFF.plusSeconds(1)) < 0, "backoff waited " + waited + " instead of the "
                    + HOLDOFF.toSeconds() + " s holdoff set before the re-execs: its deadline was not kept");
        }
    }

    @Test
    void aReexecTheNewCodeCannotTakeChangesNothing() throws Exception {
        Path jar = jarCopy();
        Path root = tmp.resolve("m");
        Files.createDirectories(root.resolve("config/manage-procs/units"));
        Files.writeString(root.resolve("config/manage-procs/units/ioc.toml"), counter("", ""));
        try (var m = new ManagerProcess(root, Map.of("MANAGE_PROCS_JAR", jar.toString()))) {
            Eventually.await("ioc up", ManagerProcess.WAIT, () -> "RUNNING".equals(
                    status(m).getOrDefault("ioc", new Row("", 0, Instant.EPOCH, 0, "")).state()));
            long pid = status(m).get("ioc").pid();
            try (ConsoleTap tap = ConsoleTap.unix(m.runDir.resolve("ioc/control"))) {
                Path broken = jar.resolveSibling("broken.jar");
                Files.writeString(broken, "not a jar");
                Files.move(broken, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Response r = client(m).send(Request.of("daemon-reexec"));
                assertEquals(1, r.exitCode(), r::toString);
                assertTrue(r.err().contains("not re-executing: the new code") && r.err().contains("carry on unchanged"),
                        r::toString);
                assertEquals(0, ping(m).generation(), "no exec happened");
                int seen = tap.sequence().size();
                Eventually.await("output goes on", ManagerProcess.WAIT, () -> tap.sequence().size() > seen + 20);
                assertFalse(tap.hungUp());
                assertEquals("", ConsoleTap.firstGap(tap.sequence()));
                assertEquals(pid, status(m).get("ioc").pid());
                assertFalse(Files.exists(m.runDir.resolve("control.sock.reexec")), "no marker left behind");
                assertFalse(Files.exists(m.runDir.resolve("handoff.state")), "no state left behind");
            }
        }
    }

    @Test
    void aStopUnderWayKeepsItsKillDeadlineAcrossAReexec() throws Exception {
        Path root = tmp.resolve("m");
        Files.createDirectories(root.resolve("config/manage-procs/units"));
        Files.writeString(root.resolve("config/manage-procs/units/stubborn.toml"), """
                [process]
                command = ["sh", "-c", "trap '' TERM; exec sleep 100000"]
                stop_timeout = "8s"
                """);
        // never started: nothing in its history, no child, no log (the demo's softioc-template is one)
        Files.writeString(root.resolve("config/manage-procs/units/idle.toml"), """
                [process]
                command = ["sleep", "100000"]
                [restart]
                autostart = false
                """);
        try (var m = new ManagerProcess(root)) {
            Eventually.await("stubborn up", ManagerProcess.WAIT, () -> "RUNNING".equals(
                    status(m).getOrDefault("stubborn", new Row("", 0, Instant.EPOCH, 0, "")).state()));
            Process stop = m.cliProcess("stop", "stubborn");
            Eventually.await("STOPPING", ManagerProcess.WAIT, () -> status(m).get("stubborn").state().equals("STOPPING"));
            Instant stopping = status(m).get("stubborn").since();
            Path file = root.resolve("config/manage-procs/units/stubborn.toml");
            Files.writeString(file, "description = \"edited\"\n" + Files.readString(file));
            reexec(m, () -> { });
            // the unit runs on as loaded; its edited file is pending, as a reload would have found it
            Eventually.await("pending change", ManagerProcess.WAIT,
                    () -> m.cli("status", "--json").out().contains("\"pending_change\":true"));
            assertEquals("STOPPING", status(m).get("stubborn").state(), "the re-exec neither ends nor restarts the stop");
            assertEquals("STOPPED", status(m).getOrDefault("idle", new Row("missing", 0, Instant.EPOCH, 0, "")).state(),
                    "a unit that never ran comes through too");
            Eventually.await("STOPPED", ManagerProcess.WAIT, () -> status(m).get("stubborn").state().equals("STOPPED"));
            Row stopped = status(m).get("stubborn");
            assertTrue(stopped.lastExit().contains("SIGKILL"), stopped::toString);
            Duration took = Duration.between(stopping, stopped.since());
            assertTrue(took.compareTo(Duration.ofSeconds(7)) > 0 && took.compareTo(Duration.ofSeconds(9)) < 0,
                    "SIGKILL came " + took + " after the stop began, not at its 8 s stop_timeout");
            stop.destroy();
        }
    }
}
