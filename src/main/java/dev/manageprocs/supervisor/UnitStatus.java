package dev.manageprocs.supervisor;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.unit.RestartMode;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A snapshot of one unit for status, the console banner and the info file.
 * {@code restartMode} is the effective one (the toggle key flips it between the unit's mode and NEVER).
 */
public record UnitStatus(
        String name,
        State state,
        OptionalInt pid,
        Optional<Instant> since,
        int restarts,
        Optional<ExitStatus> lastExit,
        RestartMode restartMode,
        Optional<String> problem) {
}
