package dev.manageprocs.child;

import dev.manageprocs.unit.Signal;
import java.util.Optional;

/** How a child ended: an exit code, or the signal that killed it (and whether it dumped core). */
public record ExitStatus(int code, Optional<Signal> signal, boolean coreDumped) {

    public static ExitStatus exited(int code) {
        return new ExitStatus(code, Optional.empty(), false);
    }

    public static ExitStatus killed(Signal signal, boolean coreDumped) {
        return new ExitStatus(-1, Optional.of(signal), coreDumped);
    }

    /** Exit code 0: what restart mode on-failure does not restart. */
    public boolean success() {
        return signal.isEmpty() && code == 0;
    }

    /** "exit 3", "SIGKILL", "SIGSEGV (core dumped)": short, for the status table. */
    public String brief() {
        return signal.map(s -> s.name() + (coreDumped ? " (core dumped)" : "")).orElse("exit " + code);
    }

    /** "exited with code 3" / "was killed by signal 9 (SIGKILL)": for messages. */
    public String describe() {
        return signal.map(s -> "was killed by signal " + s.number() + " (" + s.name() + ")"
                + (coreDumped ? ", core dumped" : "")).orElse("exited with code " + code);
    }
}
