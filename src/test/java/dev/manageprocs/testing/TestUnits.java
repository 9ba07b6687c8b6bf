package dev.manageprocs.testing;

import dev.manageprocs.unit.ConsoleSpec;
import dev.manageprocs.unit.Endpoint;
import dev.manageprocs.unit.KeyBindings;
import dev.manageprocs.unit.KeySpec;
import dev.manageprocs.unit.LogSpec;
import dev.manageprocs.unit.ProcessSpec;
import dev.manageprocs.unit.RestartMode;
import dev.manageprocs.unit.RestartSpec;
import dev.manageprocs.unit.Signal;
import dev.manageprocs.unit.TimestampFormat;
import dev.manageprocs.unit.Unit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Units with the unit-file defaults (docs/unit-files.md) for tests; each wither returns a changed copy. */
public final class TestUnits {
    private TestUnits() {
    }

    public static final KeyBindings DEFAULT_KEYS = new KeyBindings(new KeySpec(0x18), new KeySpec(0x14),
            new KeySpec(0x12), new KeySpec(0x11), new KeySpec(0x04));

    public static Unit unit(String name, String... command) {
        ProcessSpec process = new ProcessSpec(List.of(command), Path.of("/"), Map.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty(), Signal.TERM,
                Duration.ofSeconds(10), Signal.KILL);
        RestartSpec restart = new RestartSpec(RestartMode.ALWAYS, Duration.ofSeconds(15), 0,
                Duration.ofMinutes(10), true);
        ConsoleSpec console = new ConsoleSpec(List.of(new Endpoint.UnixDefault("unix:default")), List.of(), false,
                Optional.empty(), DEFAULT_KEYS, "\u0003\u0004\u001d", 64 * 1024, true);
        LogSpec log = new LogSpec(new LogSpec.LogTarget.Default(), false,
                new TimestampFormat("%Y-%m-%d %H:%M:%S "), 10L << 20, 5);
        return new Unit(name, Path.of("/tmp/" + name + ".toml"), Optional.empty(), Optional.empty(),
                process, restart, console, log);
    }

    public static Unit restart(Unit u, RestartMode mode, Duration holdoff, int max, Duration window) {
        return new Unit(u.name(), u.file(), u.description(), u.host(), u.process(),
                new RestartSpec(mode, holdoff, max, window, u.restart().autostart()), u.console(), u.log());
    }

    public static Unit process(Unit u, ProcessSpec p) {
        return new Unit(u.name(), u.file(), u.description(), u.host(), p, u.restart(), u.console(), u.log());
    }

    public static Unit log(Unit u, LogSpec l) {
        return new Unit(u.name(), u.file(), u.description(), u.host(), u.process(), u.restart(), u.console(), l);
    }

    public static ProcessSpec withStop(ProcessSpec p, Signal stop, Duration timeout) {
        return new ProcessSpec(p.command(), p.chdir(), p.env(), p.envFile(), p.user(), p.group(), p.umask(),
                p.coreSize(), stop, timeout, p.killSignal());
    }

    public static ProcessSpec withChdir(ProcessSpec p, Path chdir) {
        return new ProcessSpec(p.command(), chdir, p.env(), p.envFile(), p.user(), p.group(), p.umask(),
                p.coreSize(), p.stopSignal(), p.stopTimeout(), p.killSignal());
    }

    public static ProcessSpec withEnvFile(ProcessSpec p, Path envFile) {
        return new ProcessSpec(p.command(), p.chdir(), p.env(), Optional.of(envFile), p.user(), p.group(),
                p.umask(), p.coreSize(), p.stopSignal(), p.stopTimeout(), p.killSignal());
    }

    public static ProcessSpec withUser(ProcessSpec p, String user) {
        return new ProcessSpec(p.command(), p.chdir(), p.env(), p.envFile(), Optional.of(user), p.group(),
                p.umask(), p.coreSize(), p.stopSignal(), p.stopTimeout(), p.killSignal());
    }
}
