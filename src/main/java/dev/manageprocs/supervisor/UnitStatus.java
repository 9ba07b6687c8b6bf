package dev.manageprocs.supervisor;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.unit.RestartMode;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A snapshot of one unit for status and the console banner: what was asked of it ({@code goal}) and
 * where it is ({@code state}). {@code restartMode} is the effective one (the toggle key flips it
 * between the unit's mode and NEVER).
 */
public record UnitStatus(
        String name,
        State state,
        Goal goal,
        OptionalInt pid,
        Optional<Instant> since,
        int restarts,
        Optional<ExitStatus> lastExit,
        RestartMode restartMode,
        Optional<String> problem) {
}
