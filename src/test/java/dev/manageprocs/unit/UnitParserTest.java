package dev.manageprocs.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Good unit files: every value typed, every default filled in, relative paths anchored at the file. */
class UnitParserTest {

    @TempDir
    Path dir;

    private Unit parse(String name, String text) {
        ParseResult r = UnitParser.parse(dir.resolve(name), text, Defaults.NONE);
        return assertInstanceOf(ParseResult.Ok.class, r, () -> r.toString()).unit();
    }

    @Test
    void minimalFileGetsEveryDefault() {
        Unit u = parse("ioc1.toml", "[process]\ncommand = [\"./st.cmd\"]\n");
        assertEquals("ioc1", u.name());
        assertEquals(dir.resolve("ioc1.toml"), u.file());
        assertEquals(Optional.empty(), u.description());
        assertEquals(Optional.empty(), u.host());

        ProcessSpec p = u.process();
        assertEquals(List.of("./st.cmd"), p.command());
        assertEquals(Path.of("/"), p.chdir());
        assertEquals(Map.of(), p.env());
        assertEquals(Optional.empty(), p.envFile());
        assertEquals(Optional.empty(), p.user());
        assertEquals(Optional.empty(), p.group());
        assertEquals(OptionalInt.empty(), p.umask());
        assertEquals(Optional.empty(), p.coreSize());
        assertEquals(Signal.TERM, p.stopSignal());
        assertEquals(Duration.ofSeconds(10), p.stopTimeout());
        assertEquals(Signal.KILL, p.killSignal());

        assertEquals(new RestartSpec(RestartMode.ALWAYS, Duration.ofSeconds(15), 0, Duration.ofMinutes(10), true),
                u.restart());

        ConsoleSpec c = u.console();
        assertEquals(List.of(new Endpoint.UnixDefault("unix:default")), c.listen());
        assertEquals(List.of(), c.logListen());
        assertEquals(false, c.allowRemote());
        assertEquals("^X ^T ^R ^Q ^D", c.keys().kill() + " " + c.keys().toggle() + " " + c.keys().restart() + " "
                + c.keys().quit() + " " + c.keys().logout());
        assertTrue(c.ignores(3) && c.ignores(4) && c.ignores(0x1d) && !c.ignores('a'));
        assertEquals(64 * 1024, c.historyBytes());
        assertTrue(c.banner());

        assertEquals(new LogSpec(new LogSpec.LogTarget.Default(), true, new TimestampFormat("%Y-%m-%d %H:%M:%S "),
                10L << 20, 5), u.log());
    }

    @Test
    void everyKeySet() {
        Unit u = parse("bl1-motion@2.toml", """
                description = "BL1 motion IOC"
                host = "ioc-bl1"

                [process]
                command = "./st.cmd -d 'my db.db' \\"two words\\""
                chdir = "iocBoot/iocbl1"
                env = { EPICS_CA_SERVER_PORT = "5064", EMPTY = "" }
                env_file = "/etc/epics/site.env"
                user = "softioc"
                group = "1000"
                umask = "0027"
                core_size = "unlimited"
                stop_signal = "INT"
                stop_timeout = 2.5
                kill_signal = 15

                [restart]
                mode = "on-failure"
                holdoff = "500ms"
                max_restarts = 3
                window = "2min"
                autostart = false

                [console]
                listen = ["unix:default", "20000", "tcp:[::1]:0", "unix:::0600:run/ioc.sock", "unix:@bl1"]
                log_listen = ["tcp:0.0.0.0:20001"]
                allow_remote = true
                keys = { kill = "^K", toggle = "", quit = "^^" }
                ignore = ""
                history = "0"
                banner = false

                [log]
                file = "logs/ioc.log"
                timestamp = false
                timestamp_format = "%F %T.%3N "
                max_size = 1048576
                keep = 0
                """);
        assertEquals("bl1-motion@2", u.name());
        assertEquals(Optional.of("BL1 motion IOC"), u.description());
        assertEquals(Optional.of("ioc-bl1"), u.host());
        ProcessSpec p = u.process();
        assertEquals(List.of("./st.cmd", "-d", "my db.db", "two words"), p.command());
        assertEquals(dir.resolve("iocBoot/iocbl1"), p.chdir());
        assertEquals(Map.of("EPICS_CA_SERVER_PORT", "5064", "EMPTY", ""), p.env());
        assertEquals(Optional.of(Path.of("/etc/epics/site.env")), p.envFile());
        assertEquals(Optional.of("softioc"), p.user());
        assertEquals(Optional.of("1000"), p.group());
        assertEquals(OptionalInt.of(0027), p.umask());
        assertEquals(Optional.of(CoreSize.UNLIMITED), p.coreSize());
        assertEquals(Signal.INT, p.stopSignal());
        assertEquals(Duration.ofMillis(2500), p.stopTimeout());
        assertEquals(Signal.TERM, p.killSignal());
        assertEquals(new RestartSpec(RestartMode.ON_FAILURE, Duration.ofMillis(500), 3, Duration.ofMinutes(2), false),
                u.restart());
        ConsoleSpec c = u.console();
        assertEquals(List.of(new Endpoint.UnixDefault("unix:default"), new Endpoint.Tcp("20000", "127.0.0.1", 20000),
                new Endpoint.Tcp("tcp:[::1]:0", "::1", 0),
                new Endpoint.UnixPath("unix:::0600:run/ioc.sock", dir.resolve("run/ioc.sock"), Optional.empty(),
                        Optional.empty(), OptionalInt.of(0600)),
                new Endpoint.UnixAbstract("unix:@bl1", "bl1")), c.listen());
        assertEquals(List.of(new Endpoint.Tcp("tcp:0.0.0.0:20001", "0.0.0.0", 20001)), c.logListen());
        assertTrue(c.allowRemote());
        assertEquals(new KeyBindings(new KeySpec(0x0b), KeySpec.NONE, new KeySpec(0x12), new KeySpec('^'),
                new KeySpec(0x04)), c.keys());
        assertEquals("", c.ignore());
        assertEquals(0, c.historyBytes());
        assertEquals(false, c.banner());
        assertEquals(new LogSpec(new LogSpec.LogTarget.File(dir.resolve("logs/ioc.log")), false,
                new TimestampFormat("%F %T.%3N "), 1 << 20, 0), u.log());
    }

    @Test
    void coreSizeAndLogFileForms() {
        Unit u = parse("a.toml", "[process]\ncommand = [\"x\"]\ncore_size = 0\n[log]\nfile = \"\"\n");
        assertEquals(Optional.of(new CoreSize(0)), u.process().coreSize());
        assertEquals(new LogSpec.LogTarget.None(), u.log().file());
        u = parse("b.toml", "[process]\ncommand = [\"x\"]\ncore_size = \"1GiB\"\n[console.keys]\nlogout = \"^]\"\n");
        assertEquals(Optional.of(new CoreSize(1L << 30)), u.process().coreSize());
        assertEquals(new KeySpec(0x1d), u.console().keys().logout());
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        Path file = dir.resolve("bom.toml");
        Files.write(file, "\uFEFF[process]\ncommand = [\"x\"]\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertInstanceOf(ParseResult.Ok.class, UnitParser.parse(file, Defaults.NONE));
    }

    @Test
    void reportsEveryProblemOfAFileInOneRun() {
        ParseResult r = UnitParser.parse(dir.resolve("x.toml"), """
                [process]
                command = ["x"]
                stop_signal = "NOPE"
                [restart]
                holdoff = true
                [log]
                keep = -1
                """, Defaults.NONE);
        List<Diagnostic> d = assertInstanceOf(ParseResult.Failed.class, r).diagnostics();
        assertEquals(List.of(3, 5, 7), d.stream().map(Diagnostic::line).toList());
    }

    @Test
    void sourceMapPointsAtWrittenValues() {
        ParseResult r = UnitParser.parse(Path.of("units/x.toml"), """
                [process]
                command = ["x"]
                [console]
                listen = ["unix:default",
                          "20000"]
                """, Defaults.NONE);
        SourceMap s = assertInstanceOf(ParseResult.Ok.class, r).source();
        assertEquals(new SourceMap.Location(Path.of("units/x.toml"), 5, 11, "[console] listen[1]"),
                s.locate("console.listen[1]").orElseThrow());
        assertEquals("units/x.toml:2:1: m", s.diagnostic("process.command", "m").toString());
        assertEquals("units/x.toml: m", s.diagnostic("restart.holdoff", "m").toString());
    }

    @Test
    void unreadableFile() {
        ParseResult r = UnitParser.parse(dir.resolve("missing.toml"), Defaults.NONE);
        assertEquals(dir.resolve("missing.toml") + ": does not exist; check the path",
                assertInstanceOf(ParseResult.Failed.class, r).diagnostics().getFirst().toString());
    }
}
