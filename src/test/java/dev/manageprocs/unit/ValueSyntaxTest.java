package dev.manageprocs.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The small value languages of unit files: durations, sizes, shell words, keys, endpoints, suggestions. */
class ValueSyntaxTest {

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(15), Durations.parse("15s"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2min"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30min"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h 30min"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofSeconds(7), Durations.parse("7"));
        assertEquals(Duration.ZERO, Durations.parse("0"));
        assertEquals(Duration.ofMillis(250), Durations.ofSeconds(0.25));
        assertEquals(Duration.ofDays(2), Durations.parse("2d"));
        for (String bad : List.of("", "s", "15 sec", "-1s", "1x", "1h30", "1e3s")) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Durations.ofSeconds(-0.5));
        assertThrows(IllegalArgumentException.class, () -> Durations.ofSeconds(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("366d"));
    }

    @Test
    void sizes() {
        assertEquals(64 * 1024, Sizes.parse("64KiB"));
        assertEquals(10L << 20, Sizes.parse("10MiB"));
        assertEquals(1L << 30, Sizes.parse("1GiB"));
        assertEquals(512, Sizes.parse("512B"));
        assertEquals(512, Sizes.parse("512"));
        assertEquals(0, Sizes.parse("0"));
        assertEquals(1536, Sizes.parse("1.5KiB"));
        assertEquals(2048, Sizes.parse("2K"));
        assertEquals(4096, Sizes.ofBytes(4096));
        for (String bad : List.of("", "KiB", "64KB", "64 kb", "-1", "1PiB")) {
            assertThrows(IllegalArgumentException.class, () -> Sizes.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Sizes.ofBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("2000TiB"));
    }

    @Test
    void shellWords() {
        assertEquals(List.of("./st.cmd"), ShellWords.split("./st.cmd"));
        assertEquals(List.of("a", "b c", "d"), ShellWords.split("  a 'b c'\td  "));
        assertEquals(List.of("say", "it's", "\"q\""), ShellWords.split("say \"it's\" '\"q\"'"));
        assertEquals(List.of("a b", "c\\d", "e\"f"), ShellWords.split("a\\ b \"c\\d\" \"e\\\"f\""));
        assertEquals(List.of("ab", ""), ShellWords.split("a\"\"b ''"));
        assertEquals(List.of("x#y", "$HOME", "a|b"), ShellWords.split("x#y '$HOME' \"a|b\""));
        assertEquals(List.of("one", "two"), ShellWords.split("one \\\ntwo"));
        assertEquals(List.of(), ShellWords.split("   "));
        for (String bad : List.of("'open", "\"open", "end\\", "a | b", "a;b", "a > f", "$HOME", "`x`", "a && b",
                "# comment", "\"$HOME\"")) {
            assertThrows(IllegalArgumentException.class, () -> ShellWords.split(bad), bad);
        }
    }

    @Test
    void keys() {
        assertEquals(0x18, KeySpecs.parse("^X").code());
        assertEquals(0x18, KeySpecs.parse("^x").code());
        assertEquals('^', KeySpecs.parse("^^").code());
        assertEquals(0x1d, KeySpecs.parse("^]").code());
        assertEquals(0x7f, KeySpecs.parse("^?").code());
        assertEquals(0, KeySpecs.parse("^@").code());
        assertEquals(KeySpec.NONE, KeySpecs.parse(""));
        assertEquals("\u0003\u0004\u001d", KeySpecs.parseSequence("^C^D^]"));
        assertEquals("^", KeySpecs.parseSequence("^^"));
        assertEquals("", KeySpecs.parseSequence(""));
        for (String bad : List.of("X", "^", "^1", "^XX", "^ ")) {
            assertThrows(IllegalArgumentException.class, () -> KeySpecs.parse(bad), bad);
        }
        for (String bad : List.of("^C^", "abc", "^C ^D")) {
            assertThrows(IllegalArgumentException.class, () -> KeySpecs.parseSequence(bad), bad);
        }
    }

    @Test
    void endpoints() {
        Path base = Path.of("/etc/manage-procs/units");
        assertEquals(new Endpoint.Tcp("20000", "127.0.0.1", 20000), Endpoints.parse("20000", base));
        assertEquals(new Endpoint.Tcp("tcp:0.0.0.0:0", "0.0.0.0", 0), Endpoints.parse("tcp:0.0.0.0:0", base));
        assertEquals(new Endpoint.Tcp("tcp:[::1]:20000", "::1", 20000), Endpoints.parse("tcp:[::1]:20000", base));
        assertEquals(new Endpoint.Tcp("tcp:localhost:65535", "localhost", 65535),
                Endpoints.parse("tcp:localhost:65535", base));
        assertEquals(new Endpoint.UnixDefault("unix:default"), Endpoints.parse("unix:default", base));
        assertEquals(new Endpoint.UnixAbstract("unix:@ioc1", "ioc1"), Endpoints.parse("unix:@ioc1", base));
        assertEquals(new Endpoint.UnixPath("unix:/run/x.sock", Path.of("/run/x.sock"), Optional.empty(), Optional.empty(),
                OptionalInt.empty()), Endpoints.parse("unix:/run/x.sock", base));
        assertEquals(new Endpoint.UnixPath("unix:../run/x.sock", Path.of("/etc/manage-procs/run/x.sock"),
                Optional.empty(), Optional.empty(), OptionalInt.empty()), Endpoints.parse("unix:../run/x.sock", base));
        assertEquals(new Endpoint.UnixPath("unix:softioc:epics:0660:/run/x.sock", Path.of("/run/x.sock"),
                Optional.of("softioc"), Optional.of("epics"), OptionalInt.of(0660)),
                Endpoints.parse("unix:softioc:epics:0660:/run/x.sock", base));
        assertEquals(new Endpoint.UnixPath("unix::epics::/run/x.sock", Path.of("/run/x.sock"),
                Optional.empty(), Optional.of("epics"), OptionalInt.empty()),
                Endpoints.parse("unix::epics::/run/x.sock", base));
        assertTrue(((Endpoint.Tcp) Endpoints.parse("tcp:[::1]:1", base)).loopback());
    }

    @Test
    void clashes() {
        Path base = Path.of("/");
        assertTrue(Endpoints.clash(Endpoints.parse("20000", base), Endpoints.parse("tcp:localhost:20000", base)));
        assertTrue(Endpoints.clash(Endpoints.parse("tcp:10.0.0.1:20000", base), Endpoints.parse("tcp:0.0.0.0:20000", base)));
        assertTrue(Endpoints.clash(Endpoints.parse("tcp:[::]:20000", base), Endpoints.parse("20000", base)));
        assertTrue(!Endpoints.clash(Endpoints.parse("tcp:10.0.0.1:20000", base), Endpoints.parse("20000", base)));
        assertTrue(!Endpoints.clash(Endpoints.parse("tcp:127.0.0.1:0", base), Endpoints.parse("0", base)));
        assertTrue(!Endpoints.clash(Endpoints.parse("20000", base), Endpoints.parse("20001", base)));
        assertTrue(Endpoints.clash(Endpoints.parse("unix:/a/b", base), Endpoints.parse("unix:/a/./b", base)));
        assertTrue(Endpoints.clash(Endpoints.parse("unix:@x", base), Endpoints.parse("unix:@x", base)));
        assertTrue(!Endpoints.clash(Endpoints.parse("unix:@x", base), Endpoints.parse("unix:/x", base)));
    }

    @Test
    void suggestions() {
        List<String> keys = List.of("command", "chdir", "env", "env_file", "stop_signal", "stop_timeout");
        assertEquals(Optional.of("command"), NearestKey.to("comand", keys));
        assertEquals(Optional.of("command"), NearestKey.to("Command", keys));
        assertEquals(Optional.of("env_file"), NearestKey.to("env-file", keys));
        assertEquals(Optional.of("stop_signal"), NearestKey.to("stop_sig", keys));
        assertEquals(Optional.empty(), NearestKey.to("frobnicate", keys));
        assertEquals(3, NearestKey.distance("kitten", "sitting"));
    }
}
