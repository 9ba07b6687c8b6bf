package dev.manageprocs.manager;

import dev.manageprocs.supervisor.UnitStatus;
import dev.manageprocs.unit.Durations;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long a control request waits for its units to settle: the longest stop_timeout among them
 * (a stop escalates to SIGKILL by then) plus a margin for the SIGKILL to land and a new child to
 * start. One deadline for the whole request, since its units stop in parallel. A unit that has not
 * settled by then is reported as such; the unit itself carries on towards its goal.
 */
final class SettleDeadline {
    private static final Duration MARGIN = Duration.ofSeconds(10);

    private final long deadlineNanos;
    private final Duration limit;

    private SettleDeadline(Duration limit) {
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    /** A deadline for these units, starting now. */
    static SettleDeadline forUnits(Collection<LoadedUnit> units) {
        return new SettleDeadline(units.stream().map(lu -> lu.unit().process().stopTimeout())
                .max(Duration::compareTo).orElse(Duration.ZERO).plus(MARGIN));
    }

    /** The unit's status once settled; empty when the deadline passed first. */
    Optional<UnitStatus> await(CompletableFuture<UnitStatus> settled) {
        try {
            return Optional.of(settled.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    /** "still STOPPING after 13 s; ...": the line for a unit that did not settle in time. */
    String unsettled(String name, UnitStatus now) {
        return name + ": still " + now.state() + " after " + Durations.format(limit) + " (goal " + now.goal().word()
                + "); this request ends here, the unit carries on: follow it with 'manage-procs status " + name + "'";
    }
}
