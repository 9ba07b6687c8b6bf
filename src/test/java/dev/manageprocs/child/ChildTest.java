package dev.manageprocs.child;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.ProcessControl;
import dev.manageprocs.posix.Rlimit;
import dev.manageprocs.unit.CoreSize;
import dev.manageprocs.unit.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "LANG", "C");

    @TempDir
    Path dir;

    private LaunchSpec spec(String... argv) {
        return new LaunchSpec(List.of(argv), dir, ENV, OptionalInt.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 24, 80);
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    /** /proc/<pid>/stat fields after "(comm)": index 0 is field 3 (state). */
    private static String[] stat(int pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
    }

    @Test
    void childSeesItsPtyAsItsTerminal() {
        try (Child c = Child.spawn(spec("tty"))) {
            assertTrue(c.ttyName().matches("/dev/pts/\\d+"), c.ttyName());
            assertEquals(c.ttyName(), Await.allOutput(c).trim());
            assertEquals(ExitStatus.exited(0), Await.exit(c));
        } catch (SpawnException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void masterIsNonBlockingAndCloseOnExec() throws Exception {
        try (Child c = Child.spawn(spec("sh", "-c", "exit 0"))) {
            String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + c.masterFd())).stream()
                    .filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
            int octal = Integer.parseInt(flags.substring(6).trim(), 8);
            assertEquals(LibC.O_NONBLOCK | LibC.O_CLOEXEC, octal & (LibC.O_NONBLOCK | LibC.O_CLOEXEC), flags);
            Await.exit(c);
        }
    }

    @Test
    void windowSizeIsSetBeforeStartAndOnResize() throws Exception {
        LaunchSpec s = new LaunchSpec(List.of("sh", "-c", "stty size; read x; stty size"), dir, ENV,
                OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 33, 101);
        try (Child c = Child.spawn(s)) {
            assertEquals("33 101", firstLine(Await.output(c, t -> t.contains("\n"))));
            c.resize(40, 120);
            Await.write(c, "\n");
            assertTrue(Await.output(c, t -> t.contains("40 120\n")).contains("40 120"));
            assertEquals(ExitStatus.exited(0), Await.exit(c));
        }
    }

    @Test
    void controlCFromTheTerminalInterruptsTheChild() throws Exception {
        try (Child c = Child.spawn(spec("cat"))) {
            Await.write(c, "\u0003");
            assertEquals(ExitStatus.killed(Signal.INT, false), Await.exit(c));
        }
    }

    @Test
    void exitCodeIsReportedAndStaysTheSame() throws Exception {
        try (Child c = Child.spawn(spec("sh", "-c", "exit 3"))) {
            ExitStatus st = Await.exit(c);
            assertEquals(ExitStatus.exited(3), st);
            assertEquals(Optional.of(st), c.reap());
        }
    }

    @Test
    void killedChildReportsTheSignal() throws Exception {
        try (Child c = Child.spawn(spec("sleep", "1000"))) {
            assertEquals(Optional.empty(), c.reap());
            assertTrue(c.signalGroup(Signal.KILL));
            assertEquals(ExitStatus.killed(Signal.KILL, false), Await.exit(c));
            assertFalse(c.signalGroup(Signal.KILL), "the reaped child's group is empty");
        }
    }

    @Test
    void signalGroupReachesGrandchildren() throws Exception {
        try (Child c = Child.spawn(spec("sh", "-c", "sleep 1000 & echo $!; wait"))) {
            int grandchild = Integer.parseInt(firstLine(Await.output(c, t -> t.contains("\n"))).trim());
            int pidFd = ProcessControl.pidfd_open(grandchild);
            assertTrue(pidFd >= 0, "grandchild " + grandchild + " should be running: " + LibC.lastError());
            try {
                assertTrue(c.signalGroup(Signal.KILL));
                assertEquals(ExitStatus.killed(Signal.KILL, false), Await.exit(c));
                // A pidfd of a process that is not our child turns readable when that process exits.
                assertTrue(Await.ready(pidFd, System.nanoTime() + Await.TIMEOUT.toNanos()), "grandchild survived");
            } finally {
                LibC.close(pidFd);
            }
            assertTrue(ProcessIdentity.startTime(grandchild).isEmpty() || stat(grandchild)[0].equals("Z"));
        }
    }

    @Test
    void missingCommandNamesThePathAndTheError() {
        SpawnException e = assertThrows(SpawnException.class, () -> Child.spawn(spec("./st.cmd")));
        assertEquals("cannot execute './st.cmd' in " + dir + ": No such file or directory", e.getMessage());
    }

    @Test
    void nonExecutableCommandNamesThePathAndTheError() throws Exception {
        Files.writeString(dir.resolve("st.cmd"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(dir.resolve("st.cmd"), PosixFilePermissions.fromString("rw-r--r--"));
        SpawnException e = assertThrows(SpawnException.class, () -> Child.spawn(spec("./st.cmd")));
        assertEquals("cannot execute './st.cmd' in " + dir + ": Permission denied", e.getMessage());
    }

    @Test
    void commandIsSearchedInTheChildsPath() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Files.writeString(bin.resolve("hello-ioc"), "#!/bin/sh\necho hello from $0\n");
        Files.setPosixFilePermissions(bin.resolve("hello-ioc"), PosixFilePermissions.fromString("rwxr-xr-x"));
        LaunchSpec s = new LaunchSpec(List.of("hello-ioc"), dir, Map.of("PATH", bin + ":/usr/bin:/bin"),
                OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 24, 80);
        try (Child c = Child.spawn(s)) {
            assertEquals("hello from " + bin.resolve("hello-ioc"), Await.allOutput(c).trim());
            Await.exit(c);
        }
        SpawnException e = assertThrows(SpawnException.class, () -> Child.spawn(spec("hello-ioc")));
        assertEquals("cannot execute 'hello-ioc': no such command in PATH /usr/bin:/bin; give its full path or"
                + " set PATH in 'env'", e.getMessage());
    }

    @Test
    void missingDirectoryNamesThePathAndTheError() {
        LaunchSpec s = new LaunchSpec(List.of("true"), dir.resolve("nope"), ENV, OptionalInt.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 24, 80);
        SpawnException e = assertThrows(SpawnException.class, () -> Child.spawn(s));
        assertEquals("cannot change directory to " + dir.resolve("nope") + ": No such file or directory",
                e.getMessage());
    }

    @Test
    void childRunsInItsDirectory() throws Exception {
        try (Child c = Child.spawn(spec("pwd"))) {
            assertEquals(dir.toString(), Await.allOutput(c).trim());
            Await.exit(c);
        }
    }

    @Test
    void environmentIsExactlyWhatWasGiven() throws Exception {
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "EPICS_CA_SERVER_PORT", "5064", "SPACED", "a b");
        LaunchSpec s = new LaunchSpec(List.of("env"), dir, env, OptionalInt.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 24, 80);
        try (Child c = Child.spawn(s)) {
            Set<String> lines = Await.allOutput(c).lines().collect(Collectors.toSet());
            assertEquals(Set.of("PATH=/usr/bin:/bin", "EPICS_CA_SERVER_PORT=5064", "SPACED=a b"), lines);
            Await.exit(c);
        }
    }

    @Test
    void childStartsWithNoSignalBlockedOrIgnored() throws Exception {
        try (Child c = Child.spawn(spec("cat", "/proc/self/status"))) {
            List<String> masks = Await.allOutput(c).lines()
                    .filter(l -> l.startsWith("SigBlk:") || l.startsWith("SigIgn:")).toList();
            assertEquals(List.of("SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"), masks);
            Await.exit(c);
        }
    }

    @Test
    void childInheritsNoFileDescriptorsBeyondTheTerminal() throws Exception {
        try (Child c = Child.spawn(spec("ls", "/proc/self/fd"))) {
            // 3 is the directory ls itself opens to list.
            assertEquals(List.of("0", "1", "2", "3"), Arrays.asList(Await.allOutput(c).trim().split("\\s+")));
            Await.exit(c);
        }
    }

    @Test
    void umaskIsAppliedToTheChildOnly() throws Exception {
        int before = LibC.umask(022);
        LibC.umask(before);
        LaunchSpec s = new LaunchSpec(List.of("sh", "-c", "umask"), dir, ENV, OptionalInt.of(0027),
                Optional.empty(), Optional.empty(), Optional.empty(), 24, 80);
        try (Child c = Child.spawn(s)) {
            assertEquals("0027", Await.allOutput(c).trim());
            Await.exit(c);
        }
        int after = LibC.umask(before);
        assertEquals(before, after);
    }

    private static String coreLimitLine(String limits) {
        return limits.lines().filter(l -> l.startsWith("Max core file size")).findFirst().orElseThrow()
                .replaceAll("\\s+", " ").trim();
    }

    @Test
    void coreSizeIsAppliedToTheChildOnly() throws Exception {
        String before = coreLimitLine(Files.readString(Path.of("/proc/self/limits")));
        String hard = before.split(" ")[5];
        LaunchSpec s = new LaunchSpec(List.of("cat", "/proc/self/limits"), dir, ENV, OptionalInt.empty(),
                Optional.of(new CoreSize(1 << 20)), Optional.empty(), Optional.empty(), 24, 80);
        try (Child c = Child.spawn(s)) {
            assertEquals("Max core file size 1048576 " + hard + " bytes", coreLimitLine(Await.allOutput(c)));
            Await.exit(c);
        }
        assertEquals(before, coreLimitLine(Files.readString(Path.of("/proc/self/limits"))));
        assumeTrue(hard.equals("unlimited"), "the manager's hard core limit is finite");
        LaunchSpec unlimited = new LaunchSpec(List.of("sh", "-c", "ulimit -c"), dir, ENV, OptionalInt.empty(),
                Optional.of(CoreSize.UNLIMITED), Optional.empty(), Optional.empty(), 24, 80);
        try (Child c = Child.spawn(unlimited)) {
            assertEquals("unlimited", Await.allOutput(c).trim());
            Await.exit(c);
        }
    }

    @Test
    void coreSizeAboveTheHardLimitIsRefused() throws Exception {
        // Lowering the JVM's hard limit for this test could not be undone without CAP_SYS_RESOURCE.
        var limit = Rlimit.limit(0, 0);
        assertEquals(0, Rlimit.prlimit(0, Rlimit.RLIMIT_CORE, null, limit));
        long hard = Rlimit.hard(limit);
        assumeTrue(hard != Rlimit.RLIM_INFINITY, "the manager's hard core limit is unlimited");
        LaunchSpec s = new LaunchSpec(List.of("true"), dir, ENV, OptionalInt.empty(),
                Optional.of(CoreSize.UNLIMITED), Optional.empty(), Optional.empty(), 24, 80);
        assertEquals("core_size unlimited is above the manager's hard limit of " + hard + " bytes; lower"
                + " 'core_size' or raise the manager's limit (LimitCORE= of its service)",
                assertThrows(SpawnException.class, () -> Child.spawn(s)).getMessage());
    }

    @Test
    void childLeadsItsOwnSessionAndForegroundGroup() throws Exception {
        try (Child c = Child.spawn(spec("cat"))) {
            String[] f = stat(c.pid()); // f[i] is field i + 3
            String pid = Integer.toString(c.pid());
            assertEquals(pid, f[5 - 3], "pgrp");
            assertEquals(pid, f[6 - 3], "session");
            assertEquals(c.ttyName(), ptsName(Integer.parseInt(f[7 - 3])), "controlling tty");
            assertEquals(pid, f[8 - 3], "foreground process group");
            assertTrue(c.signalGroup(Signal.TERM));
            assertEquals(ExitStatus.killed(Signal.TERM, false), Await.exit(c));
        }
    }

    /** tty_nr of /proc/pid/stat as a /dev/pts path (Unix98 ptys have majors 136-143). */
    private static String ptsName(int ttyNr) {
        int major = (ttyNr >> 8) & 0xfff;
        int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        return "/dev/pts/" + ((major - 136) * 256 + minor);
    }

    @Test
    void rootRunsTheChildAsTheUnitsUser() throws Exception {
        assumeTrue(LibC.geteuid() == 0, "switching users needs root");
        LaunchSpec s = new LaunchSpec(List.of("sh", "-c", "id -un; tty >/dev/tty; read x"), dir, ENV, OptionalInt.empty(),
                Optional.empty(), Optional.of("nobody"), Optional.empty(), 24, 80);
        try (Child c = Child.spawn(s)) {
            List<String> lines = Await.output(c, t -> t.lines().count() >= 2).lines().toList();
            assertEquals(List.of("nobody", c.ttyName()), lines);
            String[] f = stat(c.pid());
            assertEquals(Integer.toString(c.pid()), f[6 - 3], "session");
            assertEquals(c.ttyName(), ptsName(Integer.parseInt(f[7 - 3])), "controlling tty");
            Await.write(c, "\n");
            assertEquals(ExitStatus.exited(0), Await.exit(c));
        }
    }

    @Test
    void runningAsAUserChecksTheCommandFirst() {
        assumeTrue(LibC.geteuid() == 0, "switching users needs root");
        LaunchSpec s = new LaunchSpec(List.of("./st.cmd"), dir, ENV, OptionalInt.empty(), Optional.empty(),
                Optional.of("nobody"), Optional.empty(), 24, 80);
        SpawnException e = assertThrows(SpawnException.class, () -> Child.spawn(s));
        assertEquals("cannot execute './st.cmd' in " + dir + ": No such file or directory", e.getMessage());
    }

    @Test
    void unknownUserOrGroupIsNamed() {
        LaunchSpec user = new LaunchSpec(List.of("true"), dir, ENV, OptionalInt.empty(), Optional.empty(),
                Optional.of("no-such-user-x"), Optional.empty(), 24, 80);
        assertEquals("unit asks for user 'no-such-user-x', which does not exist on this host; create it or fix"
                + " 'user'", assertThrows(SpawnException.class, () -> Child.spawn(user)).getMessage());
        LaunchSpec group = new LaunchSpec(List.of("true"), dir, ENV, OptionalInt.empty(), Optional.empty(),
                Optional.empty(), Optional.of("no-such-group-x"), 24, 80);
        assertEquals("unit asks for group 'no-such-group-x', which does not exist on this host; create it or fix"
                + " 'group'", assertThrows(SpawnException.class, () -> Child.spawn(group)).getMessage());
    }

    @Test
    void otherUserWithoutRootIsRefused() {
        assumeTrue(LibC.geteuid() != 0, "only an unprivileged manager refuses");
        LaunchSpec s = new LaunchSpec(List.of("true"), dir, ENV, OptionalInt.empty(), Optional.empty(),
                Optional.of("root"), Optional.empty(), 24, 80);
        assertEquals("unit asks for user 'root' but the manager runs as uid " + LibC.geteuid() + ", not root;"
                + " remove 'user'/'group' or run the manager as root",
                assertThrows(SpawnException.class, () -> Child.spawn(s)).getMessage());
    }

    @Test
    void startTimeIdentifiesTheProcessUntilItIsGone() throws Exception {
        int pid;
        try (Child c = Child.spawn(spec("sleep", "1000"))) {
            pid = c.pid();
            assertEquals(c.startTime(), ProcessIdentity.startTime(pid).orElseThrow());
            c.signalGroup(Signal.KILL);
            Await.exit(c);
        }
        assertTrue(ProcessIdentity.startTime(pid).isEmpty());
    }
}
