package dev.manageprocs.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class UnitTomlTest {
    private static Unit parse(Path file, String text) {
        ParseResult r = UnitParser.parse(file, text, Defaults.NONE);
        return assertInstanceOf(ParseResult.Ok.class, r, () -> r.toString()).unit();
    }

    @Test
    void theEffectiveConfigurationParsesBackToTheSameUnit() {
        Path file = Path.of("/etc/manage-procs/units/ioc1.toml");
        Unit original = parse(file, """
                description = "BL1 \\"motion\\" IOC"
                host = "ioc-bl1"
                [process]
                command = ["./st.cmd", "arg with space", "tab\\there"]
                chdir = "/epics/iocs/bl1"
                env = { EPICS_CA_SERVER_PORT = "5064", B = "x\\\\y" }
                umask = "0027"
                core_size = "unlimited"
                stop_signal = "INT"
                stop_timeout = "1500ms"
                [restart]
                mode = "on-failure"
                holdoff = "2min"
                max_restarts = 5
                window = "1h"
                autostart = false
                [console]
                listen = ["unix:default", "tcp:127.0.0.1:20000"]
                log_listen = ["tcp:127.0.0.1:0"]
                keys = { kill = "^K", toggle = "", restart = "^R", quit = "^^", logout = "^D" }
                ignore = "^C^]"
                history = "1MiB"
                banner = false
                [log]
                file = ""
                timestamp = false
                timestamp_format = "%F %T "
                max_size = 123456
                keep = 0
                """);
        String rendered = UnitToml.render(original);
        assertEquals(original, parse(file, rendered), rendered);
    }

    @Test
    void defaultsAreWrittenOutExplicitly() {
        String rendered = UnitToml.render(parse(Path.of("/u/min.toml"), "[process]\ncommand = \"sleep 1\"\n"));
        assertTrue(rendered.contains("command = [\"sleep\", \"1\"]"), rendered);
        assertTrue(rendered.contains("holdoff = \"15s\""), rendered);
        assertTrue(rendered.contains("keys = { kill = \"^X\", toggle = \"^T\", restart = \"^R\", quit = \"^Q\", logout = \"^D\" }"), rendered);
        assertTrue(rendered.contains("history = \"64KiB\""), rendered);
        assertTrue(rendered.contains("max_size = \"10MiB\""), rendered);
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\u0001\"", UnitToml.quote("a\"b\\c\n\u0001"));
    }
}
