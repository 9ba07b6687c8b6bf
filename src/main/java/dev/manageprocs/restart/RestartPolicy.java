package dev.manageprocs.restart;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.unit.Durations;
import dev.manageprocs.unit.RestartMode;
import dev.manageprocs.unit.RestartSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The restart rules of one unit. Holdoff has procServ's meaning: a child that ran longer than the
 * holdoff is restarted at once, otherwise the next start waits until holdoff has passed since the
 * last start. {@code max_restarts} restarts within {@code window} are allowed; one more is FATAL.
 * Times are monotonic nanoseconds (System.nanoTime) so wall-clock jumps change nothing.
 *
 * <p>Two starts are never closer than {@link #MIN_GAP} (systemd's default RestartSec), whatever the
 * holdoff: with holdoff 0 a child that dies at once would otherwise be respawned several hundred
 * times a second, a fork storm that takes CPU from every other unit and floods the logs. A child
 * that ran longer than that still restarts at once.
 */
public final class RestartPolicy {
    public static final Duration MIN_GAP = Duration.ofMillis(100);

    private final RestartSpec spec;
    // start times of automatic restarts still inside the window (bounded by max_restarts)
    private final Deque<Long> restartTimes = new ArrayDeque<>();

    public RestartPolicy(RestartSpec spec) {
        this.spec = spec;
    }

    /**
     * Decides after an exit. {@code mode} is the effective mode (the toggle key may have set NEVER);
     * {@code startedAt} and {@code now} are nanoTime values.
     */
    public RestartDecision afterExit(RestartMode mode, ExitStatus exit, long startedAt, long now) {
        boolean restart = switch (mode) {
            case ALWAYS -> true;
            case ON_FAILURE -> !exit.success();
            case NEVER -> false;
        };
        if (!restart) {
            return new RestartDecision.Stay();
        }
        if (spec.maxRestarts() > 0) {
            long windowNanos = spec.window().toNanos();
            while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() >= windowNanos) {
                restartTimes.pollFirst();
            }
            if (restartTimes.size() >= spec.maxRestarts()) {
                return new RestartDecision.GiveUp("it was restarted " + restartTimes.size()
                        + " times within " + Durations.format(spec.window()) + " (max_restarts = "
                        + spec.maxRestarts() + ")");
            }
        }
        long ran = now - startedAt;
        long wait = Math.max(0, Math.max(spec.holdoff().toNanos(), MIN_GAP.toNanos()) - ran);
        return new RestartDecision.Restart(Duration.ofNanos(wait));
    }

    /** Records that an automatic restart happened at {@code now} (for the window count). */
    public void restarted(long now) {
        if (spec.maxRestarts() > 0) {
            restartTimes.addLast(now);
            while (restartTimes.size() > spec.maxRestarts()) {
                restartTimes.pollFirst();
            }
        }
    }

    /** The nanoTime of each automatic restart still counted, oldest first (handed over by a live re-exec). */
    public List<Long> restartTimes() {
        return List.copyOf(restartTimes);
    }

    /** Takes over the count of a previous program of this process (System.nanoTime is CLOCK_MONOTONIC, shared). */
    public void restore(List<Long> times) {
        restartTimes.clear();
        restartTimes.addAll(times);
    }

    /** A start by request (start/restart command, restart key) begins a fresh count. */
    public void reset() {
        restartTimes.clear();
    }
}
