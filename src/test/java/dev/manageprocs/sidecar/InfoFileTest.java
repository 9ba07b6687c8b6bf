package dev.manageprocs.sidecar;

import dev.manageprocs.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class InfoFileTest {

    @Test
    void rendersProcServLinesThenChildAndState() {
        InfoFile info = new InfoFile(4242, List.of("tcp:127.0.0.1:20000", "unix:/run/manage-procs/ioc1/control"),
                OptionalInt.of(4300), "RUNNING");
        assertEquals("pid:4242\ntcp:127.0.0.1:20000\nunix:/run/manage-procs/ioc1/control\nchild:4300\nstate:RUNNING\n",
                info.render());
    }

    @Test
    void noChildLineWhileNoChildRuns() {
        assertEquals("pid:7\nstate:BACKOFF\n", new InfoFile(7, List.of(), OptionalInt.empty(), "BACKOFF").render());
    }

    @Test
    void anEndpointWithALineBreakIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new InfoFile(7, List.of("unix:/a\nstate:FAKE"), OptionalInt.empty(), "RUNNING"));
    }

    /** Our file must begin exactly like the one procServ 2.7.0 writes for the same endpoints. */
    @Test
    void startsLikeTheRealProcServ(@TempDir Path tmp) throws Exception {
        assumeTrue(new File("/usr/bin/procServ").canExecute(), "procServ is not installed");
        Path infoPath = tmp.resolve("info");
        Path control = tmp.resolve("control");
        Process procServ = new ProcessBuilder("/usr/bin/procServ", "-f", "-q", "--info-file", infoPath.toString(),
                "-P", "unix:" + control, "/bin/cat")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            Eventually.await("procServ's info file", Duration.ofSeconds(5), () -> readOrEmpty(infoPath).endsWith("\n"));
            String theirs = readOrEmpty(infoPath);
            String ours = new InfoFile((int) procServ.pid(), List.of("unix:" + control), OptionalInt.of(1), "RUNNING").render();
            assertEquals("pid:" + procServ.pid() + "\nunix:" + control + "\n", theirs);
            assertTrue(ours.startsWith(theirs), ours);
        } finally {
            procServ.destroy();
            procServ.waitFor();
        }
    }

    private static String readOrEmpty(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
