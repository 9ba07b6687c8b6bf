package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.MainRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code manage-procs check}: what a user sees on stdout and stderr, and the exit code. */
class CheckCommandTest {

    @TempDir
    Path dir;

    private static MainRun check(String... args) {
        return MainRun.of(args);
    }

    private String write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }

    @Test
    void goodFilesAreOk() throws Exception {
        String a = write("a.toml", "[process]\ncommand = [\"./st.cmd\"]\n");
        String b = write("b.toml", "[process]\ncommand = \"./st.cmd -x\"\n[console]\nlisten = [\"20000\"]\n");
        assertEquals(new MainRun(0, a + ": ok\n" + b + ": ok\n", ""), check("check", a, b));
    }

    @Test
    void everyProblemGoesToStderrAndTheGoodFilesStillShow() throws Exception {
        String good = write("good.toml", "[process]\ncommand = [\"x\"]\n");
        String bad = write("bad.toml", "[process]\ncommand = [\"x\"]\nstop_signal = \"NOPE\"\n[restart]\nmode = \"sometimes\"\n");
        MainRun r = check("check", bad, good);
        assertEquals(1, r.exit());
        assertEquals(good + ": ok\n", r.out());
        assertEquals(bad + ":3:1: [process] stop_signal = \"NOPE\" is not a signal; use a name like \"SIGTERM\" or"
                + " \"TERM\", or a number from 1 to 64\n"
                + bad + ":5:1: [restart] mode = \"sometimes\" is not a restart mode; use \"always\", \"on-failure\" or"
                + " \"never\"\n", r.err());
    }

    @Test
    void portClashesBetweenTheGivenFiles() throws Exception {
        String a = write("a.toml", "[process]\ncommand = [\"x\"]\n[console]\nlisten = [\"20000\"]\n");
        String b = write("b.toml", "[process]\ncommand = [\"x\"]\n[console]\nlisten = [\"tcp:localhost:20000\"]\n");
        MainRun r = check("check", a, b);
        assertEquals(1, r.exit());
        assertEquals(a + ": ok\n", r.out());
        assertEquals(b + ":4:11: [console] listen[0] = \"tcp:localhost:20000\" is already used by unit 'a' (" + a
                + ":4:11); choose another port, or \"tcp:127.0.0.1:0\" for any free one\n", r.err());
    }

    @Test
    void defaultsFromConfigApplyWhereverTheOptionIsWritten() throws Exception {
        String config = write("manager.toml", "[defaults.console]\nlisten = [\"20000\"]\n");
        String a = write("a.toml", "[process]\ncommand = [\"x\"]\n");
        String b = write("b.toml", "[process]\ncommand = [\"x\"]\n");
        String expected = b + ": [defaults.console] listen[0] = \"20000\" is already used by unit 'a' (" + config
                + ":2:11); choose another port, or \"tcp:127.0.0.1:0\" for any free one\n";
        MainRun before = check("--config", config, "check", a, b);
        MainRun after = check("check", "--config", config, a, b);
        assertEquals(1, before.exit());
        assertEquals(before, after);
        assertEquals(config + ":2:11: " + expected.substring(expected.indexOf("[defaults")), before.err());
    }

    @Test
    void aBrokenConfigIsReportedFirst() throws Exception {
        String config = write("manager.toml", "[defaults.restart]\nholdoff = true\n");
        String a = write("a.toml", "[process]\ncommand = [\"x\"]\n");
        MainRun r = check("check", "--config", config, a);
        assertEquals(new MainRun(1, "", config + ":2:1: [defaults.restart] holdoff must be a duration like \"15s\", \"500ms\""
                + " or a number of seconds, not a boolean\n"), r);
    }

    @Test
    void usageErrorsExitWith2() {
        MainRun r = check("check");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Missing required parameter: 'FILE'"), r.err());
    }
}
