package dev.manageprocs.supervisor;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.unit.RestartMode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything one unit's supervisor knows, as a value a live re-exec hands to the next program of this
 * process, which continues the unit from it ({@link Supervisor#adopt}). Deadlines and start times are
 * System.nanoTime values: CLOCK_MONOTONIC, the same clock in both programs.
 *
 * @param timerDue     when the pending timer fires: the end of the holdoff (BACKOFF) or of stop_timeout
 *                     (STOPPING); empty when none is pending
 * @param restartTimes the automatic restarts still counted against max_restarts
 * @param log          the console log's state; empty when the unit has no log or it was never opened
 */
public record SupervisorSnapshot(State state, Goal goal, RestartMode mode, Instant since, int restarts,
        Optional<ExitStatus> lastExit, Optional<String> problem, OptionalLong timerDue, List<Long> restartTimes,
        int rows, int cols, Optional<Running> child, Optional<Log> log) {

    public SupervisorSnapshot {
        restartTimes = List.copyOf(restartTimes);
    }

    /** The running child: its fds are kept open across the exec. */
    public record Running(int pid, int masterFd, int pidFd, String ttyName, long startTime, long startedNanos,
            Pty pty) {
    }

    /** The pty pump: console input not yet written, and whether the master is still watched (not hung up). */
    public record Pty(byte[] pendingInput, boolean inputDropping, boolean watched) {
    }

    /**
     * @param atLineStart       whether the last thing logged ended a line (the next "@@@" line needs none first)
     * @param stampAtLineStart  the same for timestamps: false when a line in progress has its stamp already
     */
    public record Log(boolean atLineStart, boolean stampAtLineStart) {
    }
}
