package dev.manageprocs.cli;

import com.sun.jna.Memory;
import dev.manageprocs.posix.Pty;
import dev.manageprocs.posix.Termios;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The operator's terminal on stdin, for an interactive attach: raw mode (every key as typed, ^C and ^Z
 * included, no local echo), and back to exactly the settings it had (the saved termios bytes) on every
 * way out: the normal end, an exception (the caller's finally) and the JVM's exit on SIGTERM, SIGHUP or
 * SIGINT (a shutdown hook). Restoring twice is harmless.
 */
final class Terminal {
    private static final int STDIN = 0;

    private final Memory saved;
    private final AtomicBoolean raw = new AtomicBoolean();

    private Terminal(Memory saved) {
        this.saved = saved;
    }

    /** The terminal on stdin; empty when stdin is not one (a pipe, a file, /dev/null). */
    static Optional<Terminal> ofStdin() {
        Memory t = Termios.struct();
        return Termios.tcgetattr(STDIN, t) == 0 ? Optional.of(new Terminal(t)) : Optional.empty();
    }

    void raw() {
        Memory r = Termios.struct();
        r.write(0, saved.getByteArray(0, Termios.SIZE), 0, Termios.SIZE);
        Termios.cfmakeraw(r);
        Runtime.getRuntime().addShutdownHook(new Thread(this::restore, "restore-terminal"));
        raw.set(true);
        Termios.tcsetattr(STDIN, Termios.TCSADRAIN, r);
    }

    void restore() {
        if (raw.getAndSet(false)) {
            Termios.tcsetattr(STDIN, Termios.TCSADRAIN, saved);
        }
    }

    /** {rows, cols}, or empty when the terminal does not say. */
    Optional<int[]> size() {
        int[] s = Pty.windowSize(STDIN);
        return s == null || s[0] == 0 || s[1] == 0 ? Optional.empty() : Optional.of(s);
    }
}
