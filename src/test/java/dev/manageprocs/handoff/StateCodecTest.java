package dev.manageprocs.handoff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.console.ConsoleSnapshot;
import dev.manageprocs.supervisor.Goal;
import dev.manageprocs.supervisor.State;
import dev.manageprocs.supervisor.SupervisorSnapshot;
import dev.manageprocs.unit.Defaults;
import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ParseResult;
import dev.manageprocs.unit.RestartMode;
import dev.manageprocs.unit.Signal;
import dev.manageprocs.unit.UnitParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StateCodecTest {
    private static final StateCodec.UnitParsing PARSE = (file, text) -> UnitParser.parse(file, text, Defaults.NONE);

    private static ParseResult.Ok unit(String name, String command) {
        return (ParseResult.Ok) PARSE.parse(Path.of("/etc/manage-procs/units/" + name + ".toml"),
                "[process]\ncommand = [\"" + command + "\"]\n");
    }

    private static HandoffState state() {
        SupervisorSnapshot running = new SupervisorSnapshot(State.RUNNING, Goal.RUN, RestartMode.NEVER,
                Instant.parse("2026-12-03T07:00:00.123456789Z"), 7, Optional.of(ExitStatus.killed(Signal.of(11), true)),
                Optional.empty(), OptionalLong.empty(), List.of(5L, 6L), 40, 132,
                Optional.of(new SupervisorSnapshot.Running(4242, 17, 18, "/dev/pts/3", 123456, 99L,
                        new SupervisorSnapshot.Pty("ab\u00e9".getBytes(StandardCharsets.UTF_8), true, false))),
                Optional.of(new SupervisorSnapshot.Log(false, true)));
        SupervisorSnapshot stopping = new SupervisorSnapshot(State.STOPPING, new Goal.Replace(unit("b", "/bin/false")),
                RestartMode.ALWAYS, Instant.EPOCH, 0, Optional.empty(), Optional.of("gave up"), OptionalLong.of(-5),
                List.of(), 24, 80, Optional.empty(), Optional.empty());
        ConsoleSnapshot console = new ConsoleSnapshot(
                List.of(new ConsoleSnapshot.Bound(false, 20, "unix:/run/a/control", true, Optional.of(Path.of("/run/a/control"))),
                        new ConsoleSnapshot.Bound(true, 21, "tcp:127.0.0.1:2000", false, Optional.empty())),
                Optional.of(new ConsoleSnapshot.History(new byte[] {1, 2, 3, (byte) 0xff}, true)), false,
                List.of(new ConsoleSnapshot.Connection(22, "'alice' (uid 1000)", true, new byte[] {9}, 12)));
        return new HandoffState("1.0", 3, "'root' (uid 0)", 123, new HandoffState.Config(Layout.Mode.SYSTEM,
                Optional.of(Path.of("/etc/manage-procs/manager.toml")), Optional.of("[defaults]\n"), List.of(Path.of("/u"))),
                List.of(new HandoffState.UnitState(unit("a", "/bin/true"), running, console),
                        new HandoffState.UnitState(unit("b", "/bin/true"), stopping,
                                new ConsoleSnapshot(List.of(), Optional.empty(), true, List.of()))));
    }

    private static byte[] bytes(HandoffState s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StateCodec.write(s, out);
        return out.toByteArray();
    }

    private static HandoffState read(byte[] b) throws StateCodec.Unreadable {
        return StateCodec.read(new ByteArrayInputStream(b), c -> PARSE);
    }

    @Test
    void everyFieldComesBackAsWritten() throws Exception {
        HandoffState s = state();
        HandoffState back = read(bytes(s));
        assertEquals(s.fromVersion(), back.fromVersion());
        assertEquals(s.generation(), back.generation());
        assertEquals(s.requestedBy(), back.requestedBy());
        assertEquals(s.frozenNanos(), back.frozenNanos());
        assertEquals(s.config(), back.config());
        assertEquals(s.fds(), back.fds());
        assertEquals(List.of(17, 18, 20, 21, 22), List.copyOf(back.fds()));
        for (int i = 0; i < s.units().size(); i++) {
            HandoffState.UnitState a = s.units().get(i);
            HandoffState.UnitState b = back.units().get(i);
            assertEquals(a.loaded().unit(), b.loaded().unit());
            assertEquals(a.loaded().text(), b.loaded().text());
            SupervisorSnapshot x = a.supervisor();
            SupervisorSnapshot y = b.supervisor();
            assertEquals(List.of(x.state(), x.mode(), x.since(), x.restarts(), x.lastExit(), x.problem(), x.timerDue(),
                    x.restartTimes(), x.rows(), x.cols(), x.log()), List.of(y.state(), y.mode(), y.since(), y.restarts(),
                    y.lastExit(), y.problem(), y.timerDue(), y.restartTimes(), y.rows(), y.cols(), y.log()));
            assertEquals(x.goal().word(), y.goal().word());
            assertEquals(x.child().isPresent(), y.child().isPresent());
            if (x.child().isPresent()) {
                var c = x.child().get();
                var d = y.child().get();
                assertEquals(List.of(c.pid(), c.masterFd(), c.pidFd(), c.ttyName(), c.startTime(), c.startedNanos()),
                        List.of(d.pid(), d.masterFd(), d.pidFd(), d.ttyName(), d.startTime(), d.startedNanos()));
                assertArrayEquals(c.pty().pendingInput(), d.pty().pendingInput());
                assertEquals(c.pty().inputDropping(), d.pty().inputDropping());
                assertEquals(c.pty().watched(), d.pty().watched());
            }
            ConsoleSnapshot p = a.console();
            ConsoleSnapshot q = b.console();
            assertEquals(p.listeners(), q.listeners());
            assertEquals(p.atLineStart(), q.atLineStart());
            assertEquals(p.history().map(h -> Arrays.toString(h.bytes()) + h.overwritten()),
                    q.history().map(h -> Arrays.toString(h.bytes()) + h.overwritten()));
            assertEquals(p.clients().size(), q.clients().size());
            for (int k = 0; k < p.clients().size(); k++) {
                var e = p.clients().get(k);
                var f = q.clients().get(k);
                assertEquals(List.of(e.fd(), e.who(), e.readOnly(), e.dropped()), List.of(f.fd(), f.who(), f.readOnly(), f.dropped()));
                assertArrayEquals(e.queued(), f.queued());
            }
        }
        Goal.Replace r = (Goal.Replace) back.units().get(1).supervisor().goal();
        assertEquals(List.of("/bin/false"), r.next().unit().process().command());
    }

    @Test
    void aFormatFromTheFutureIsRefusedWithBothNumbers() throws Exception {
        byte[] b = bytes(state());
        int at = "manage-procs handoff state\n".length();
        ByteBuffer.wrap(b).putInt(at, StateCodec.FORMAT + 1);
        StateCodec.Unreadable e = assertThrows(StateCodec.Unreadable.class, () -> read(b));
        assertEquals("it is in format " + (StateCodec.FORMAT + 1) + ", and this version reads formats "
                + StateCodec.OLDEST_READ + " to " + StateCodec.FORMAT + " only", e.getMessage());
    }

    @Test
    void aCutOrForeignFileIsRefusedInOneSentence() throws Exception {
        byte[] b = bytes(state());
        assertEquals("it ends too early (cut short)",
                assertThrows(StateCodec.Unreadable.class, () -> read(Arrays.copyOf(b, b.length / 2))).getMessage());
        assertEquals("it is not a manage-procs handoff state", assertThrows(StateCodec.Unreadable.class,
                () -> read("PK\u0003\u0004 a jar, say".getBytes(StandardCharsets.US_ASCII))).getMessage());
    }

    @Test
    void aUnitWhoseTextNoLongerParsesIsNamed() throws Exception {
        byte[] b = bytes(state());
        StateCodec.Unreadable e = assertThrows(StateCodec.Unreadable.class, () -> StateCodec.read(new ByteArrayInputStream(b),
                c -> (file, text) -> new ParseResult.Failed(List.of(new dev.manageprocs.unit.Diagnostic(file, 2, 1, "no")))));
        assertTrue(e.getMessage().startsWith("unit file /etc/manage-procs/units/a.toml as loaded no longer parses ("),
                e.getMessage());
    }
}
