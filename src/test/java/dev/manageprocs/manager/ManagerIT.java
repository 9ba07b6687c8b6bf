package dev.manageprocs.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import dev.manageprocs.testing.ManagerProcess.Result;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manager as an operator meets it: the real launcher, real units, the CLI as a separate process. */
class ManagerIT {
    private static final Pattern PID = Pattern.compile("\"pid\": ?(\\d+)");

    @TempDir
    Path tmp;

    private static String sleeper(boolean autostart) {
        return """
                [process]
                command = ["sh", "-c", "sleep 100000 & wait"]
                stop_timeout = "5s"
                [restart]
                mode = "always"
                holdoff = "0s"
                autostart = %s
                """.formatted(autostart);
    }

    private static void ok(Result r) {
        assertEquals(0, r.exit(), r::toString);
    }

    private static List<Integer> pids(String json) {
        List<Integer> pids = new ArrayList<>();
        Matcher m = PID.matcher(json);
        while (m.find()) {
            pids.add(Integer.parseInt(m.group(1)));
        }
        return pids;
    }

    private static boolean alive(int pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void twentyUnitsAreAddedStartedStoppedRestartedByPatternAndRemoved() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        List<String> files = new ArrayList<>(List.of("add"));
        for (int i = 1; i <= 20; i++) {
            files.add(Files.writeString(src.resolve(String.format("ioc%02d.toml", i)), sleeper(false)).toString());
        }
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            Result added = m.cli(files.toArray(String[]::new));
            ok(added);
            assertEquals(20, added.out().lines().filter(l -> l.contains(": added ")).count(), added::toString);
            assertTrue(Files.exists(m.unitDir.resolve("ioc07.toml")), "add installs the file into the unit dir");

            ok(m.cli("start", "ioc0*"));
            Result status = m.cli("status", "--json");
            ok(status);
            assertEquals(9, pids(status.out()).size(), status::toString);

            Result table = m.cli("status");
            ok(table);
            assertTrue(table.out().lines().findFirst().orElse("").matches("UNIT\\s+STATE\\s+PID\\s+UPTIME\\s+RESTARTS\\s+LAST-EXIT\\s+CONSOLE\\s*"),
                    table::toString);
            assertTrue(table.out().lines().anyMatch(l -> l.matches("ioc05\\s+RUNNING\\s+\\d+.*")), table::toString);
            assertTrue(table.out().lines().anyMatch(l -> l.matches("ioc15\\s+STOPPED\\s+-.*")), table::toString);
            assertEquals(3, m.cli("status", "ioc15").exit(), "status of a unit that is not running exits 3");
            assertEquals(4, m.cli("status", "nosuch").exit(), "status of an unknown unit exits 4");

            ok(m.cli("start", "--all"));
            List<Integer> first = pids(m.cli("status", "--json").out());
            assertEquals(20, first.size());
            Result restarted = m.cli("restart", "ioc1?");
            ok(restarted);
            List<Integer> second = pids(m.cli("status", "--json", "ioc1?").out());
            assertEquals(10, second.size());
            assertTrue(second.stream().noneMatch(first::contains), "restart runs new children");

            ok(m.cli("stop", "ioc2*"));
            assertEquals(3, m.cli("status", "ioc20").exit());
            assertFalse(Files.exists(m.runDir.resolve("ioc20/pid")), "no pid file for a stopped unit");

            Result removed = m.cli("remove", "-f", "ioc01", "ioc02");
            ok(removed);
            assertFalse(Files.exists(m.unitDir.resolve("ioc01.toml")));
            assertEquals(4, m.cli("status", "ioc01").exit());
            assertEquals(18, m.cli("list").out().lines().filter(l -> l.startsWith("ioc")).count());

            ok(m.cli("stop", "--all"));
            for (int pid : first) {
                int p = pid;
                Eventually.await("pid " + p + " gone", ManagerProcess.WAIT, () -> !alive(p));
            }
        }
    }

    @Test
    void addRefusesABrokenFileAndInstallsNothing() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path good = Files.writeString(src.resolve("good.toml"), sleeper(false));
        Path bad = Files.writeString(src.resolve("bad.toml"), "[process]\ncomand = [\"true\"]\n");
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            Result r = m.cli("add", good.toString(), bad.toString());
            assertEquals(1, r.exit(), r::toString);
            assertTrue(r.err().contains(bad + ":2:1: unknown key 'comand'"), r::toString);
            assertTrue(r.err().contains("did you mean 'command'?"), r::toString);
            assertFalse(Files.exists(m.unitDir.resolve("good.toml")), "a bad file in the batch installs nothing");
            assertEquals(4, m.cli("status", "good").exit());
        }
    }

    @Test
    void addIsAllOrNothingWhenAConsoleCannotListen() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path first = Files.writeString(src.resolve("first.toml"), sleeper(true));
            Path second = Files.writeString(src.resolve("second.toml"), sleeper(true)
                    + "[console]\nlisten = [\"tcp:127.0.0.1:" + taken.getLocalPort() + "\"]\n");
            try (var m = new ManagerProcess(tmp.resolve("m"))) {
                Result r = m.cli("add", first.toString(), second.toString());
                assertEquals(1, r.exit(), r::toString);
                assertTrue(r.err().contains("cannot listen on tcp:127.0.0.1:" + taken.getLocalPort() + " for unit second"), r::toString);
                assertTrue(r.err().contains("nothing was added"), r::toString);
                assertFalse(Files.exists(m.unitDir.resolve("first.toml")), "no file of the batch is installed");
                assertFalse(Files.exists(m.unitDir.resolve("second.toml")));
                assertEquals(4, m.cli("status", "first").exit(), "no unit of the batch is loaded");
                assertFalse(Files.exists(m.runDir.resolve("first/control")), "and its console is gone again");
            }
        }
    }

    @Test
    void reloadAddsRemovesAndOnlyReportsChangedUnits() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("keep", sleeper(true));
            m.writeUnit("gone", sleeper(true));
            Result first = m.cli("reload");
            ok(first);
            assertTrue(first.out().contains("keep: added") && first.out().contains("gone: added"), first::toString);
            Eventually.await("both running", ManagerProcess.WAIT, () -> m.cli("status", "keep", "gone").exit() == 0);
            int keepPid = pids(m.cli("status", "--json", "keep").out()).get(0);
            int gonePid = pids(m.cli("status", "--json", "gone").out()).get(0);

            Files.delete(m.unitDir.resolve("gone.toml"));
            m.writeUnit("keep", sleeper(true).replace("stop_timeout = \"5s\"", "stop_timeout = \"3s\""));
            m.writeUnit("fresh", sleeper(true));
            Result second = m.cli("reload");
            ok(second);
            assertTrue(second.out().contains("fresh: added"), second::toString);
            assertTrue(second.out().contains("gone: removed"), second::toString);
            assertTrue(second.out().contains("keep: changed (restart to apply)"), second::toString);
            Eventually.await("gone's child stopped", ManagerProcess.WAIT, () -> !alive(gonePid));
            assertEquals(List.of(keepPid), pids(m.cli("status", "--json", "keep").out()), "reload never restarts a changed unit");
            assertTrue(m.cli("status", "keep").out().contains("changed (restart to apply)"));
            assertTrue(m.cli("show", "keep").out().contains("stop_timeout = \"5s\""), "the running config is shown");

            ok(m.cli("restart", "keep"));
            int newPid = pids(m.cli("status", "--json", "keep").out()).get(0);
            assertTrue(newPid != keepPid);
            assertTrue(m.cli("show", "keep").out().contains("stop_timeout = \"3s\""), "restart applies the changed file");
            assertFalse(m.cli("status", "keep").out().contains("changed"));
        }
    }

    @Test
    void sigtermStopsEveryUnitAndLeavesNothingBehind() throws Exception {
        var m = new ManagerProcess(tmp.resolve("m"));
        for (int i = 0; i < 5; i++) {
            m.writeUnit("u" + i, sleeper(true));
        }
        ok(m.cli("reload"));
        Eventually.await("five running", ManagerProcess.WAIT,
                () -> pids(m.cli("status", "--json").out()).size() == 5);
        List<Integer> children = pids(m.cli("status", "--json").out());
        List<Long> grandchildren = children.stream().flatMap(pid -> ProcessHandle.of(pid).stream())
                .flatMap(ProcessHandle::children).map(ProcessHandle::pid).toList();
        assertEquals(5, grandchildren.size(), "each unit runs a background sleep");

        assertEquals(0, m.terminate(), m::managerOutput);
        for (int pid : children) {
            assertFalse(alive(pid), "child " + pid + " outlived the manager");
        }
        // the group got its signal before the manager exited; the kernel finishes the deaths just after
        for (long pid : grandchildren) {
            Eventually.await("grandchild " + pid + " gone", java.time.Duration.ofSeconds(2), () -> !alive((int) pid));
        }
        assertFalse(Files.exists(m.runDir.resolve("control.sock")), "the control socket is removed");
        for (int i = 0; i < 5; i++) {
            assertFalse(Files.exists(m.runDir.resolve("u" + i + "/info")), "sidecars are removed");
            assertFalse(Files.exists(m.runDir.resolve("u" + i + "/pid")));
        }
        assertTrue(m.managerOutput().contains("manager stopped"), m::managerOutput);
    }

    @Test
    void garbageTruncatedAndOversizedRequestsGetErrorRepliesAndTheManagerCarriesOn() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("steady", sleeper(true));
            ok(m.cli("reload"));
            int pid = pids(m.cli("status", "--json").out()).get(0);
            Path socket = m.runDir.resolve("control.sock");
            for (byte[] request : List.of("hello manager\n".getBytes(StandardCharsets.UTF_8),
                    "30:1:1,6:status,".getBytes(StandardCharsets.UTF_8),
                    "999999999:".getBytes(StandardCharsets.UTF_8))) {
                String reply = rawExchange(socket, request);
                assertTrue(reply.contains("1:2,"), "exit code 2 expected for " + new String(request, StandardCharsets.UTF_8)
                        + ", got " + reply);
            }
            assertEquals(List.of(pid), pids(m.cli("status", "--json").out()), "no unit changed state");
            assertTrue(m.alive());
        }
    }

    private static String rawExchange(Path socket, byte[] request) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(request));
            ch.shutdownOutput();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) >= 0) {
                if (!buf.hasRemaining()) {
                    break;
                }
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }
}
