package dev.manageprocs.supervisor;

import dev.manageprocs.unit.ParseResult;

/**
 * What was asked of a unit, as data. The supervisor works towards its goal, and what happens when a
 * child exits or a holdoff ends is decided from the goal and the state alone, the way supervisord's
 * {@code administrative_stop} works: a later request replaces the goal, and nothing an earlier request
 * queued can act on its own (a {@code stop} during a {@code restart} wins).
 */
public sealed interface Goal {
    Goal RUN = new Run();
    Goal STOP = new Stop();
    Goal REMOVE = new Remove();

    /** Keep a child running, as far as the restart policy allows. */
    record Run() implements Goal {
    }

    /** No child, by request. */
    record Stop() implements Goal {
    }

    /** Stop the child, then leave the registry (remove, a reload that found the file gone, shutdown). */
    record Remove() implements Goal {
    }

    /** Stop the child, then make way for a supervisor of the changed unit file {@code next}. */
    record Replace(ParseResult.Ok next) implements Goal {
    }

    /** Remove or Replace: the unit is on its way out, and nothing may start its child again. */
    default boolean retiring() {
        return this instanceof Remove || this instanceof Replace;
    }

    /** The goal in one word, for status and the logs. */
    default String word() {
        return switch (this) {
            case Run r -> "run";
            case Stop s -> "stop";
            case Remove r -> "remove";
            case Replace r -> "replace";
        };
    }
}
