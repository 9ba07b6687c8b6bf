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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class InfoFileTest {

    @Test
    void rendersExactlyProcServsLines() {
        InfoFile info = new InfoFile(4242, List.of("tcp:127.0.0.1:20000", "unix:/run/manage-procs/ioc1/control"));
        assertEquals("pid:4242\ntcp:127.0.0.1:20000\nunix:/run/manage-procs/ioc1/control\n", info.render());
    }

    @Test
    void withoutEndpointsOnlyThePidLine() {
        assertEquals("pid:7\n", new InfoFile(7, List.of()).render());
    }

    @Test
    void anEndpointWithALineBreakIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new InfoFile(7, List.of("unix:/a\nstate:FAKE")));
    }

    /** Our file must be exactly the one procServ 2.7.0 writes for the same endpoints. */
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
            String ours = new InfoFile((int) procServ.pid(), List.of("unix:" + control)).render();
            assertEquals("pid:" + procServ.pid() + "\nunix:" + control + "\n", theirs);
            assertEquals(theirs, ours);
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
