package dev.manageprocs.child;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import dev.manageprocs.posix.Termios;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TermiosTest {
    @TempDir
    Path dir;

    @Test
    void rawModeSetOnTheMasterIsWhatTheChildSees() throws Exception {
        LaunchSpec spec = new LaunchSpec(List.of("sh", "-c", "read x; stty -a"), dir, Map.of("PATH", "/usr/bin:/bin"),
                OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 24, 80);
        try (Child c = Child.spawn(spec)) {
            Memory saved = Termios.struct();
            assertEquals(0, Termios.tcgetattr(c.masterFd(), saved));
            int lflag = saved.getInt(Termios.C_LFLAG);
            assertEquals(Termios.ICANON | Termios.ECHO, lflag & (Termios.ICANON | Termios.ECHO), "a new pty is cooked");
            Memory raw = Termios.struct();
            raw.write(0, saved.getByteArray(0, Termios.SIZE), 0, Termios.SIZE);
            Termios.cfmakeraw(raw);
            assertEquals(0, Termios.tcsetattr(c.masterFd(), Termios.TCSANOW, raw));
            Await.write(c, "\n");
            String modes = Await.allOutput(c);
            assertTrue(modes.contains("-icanon") && modes.contains("-echo "), modes);
            assertEquals(ExitStatus.exited(0), Await.exit(c));
        }
    }
}
