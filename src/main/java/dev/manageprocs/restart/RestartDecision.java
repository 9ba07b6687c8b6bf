package dev.manageprocs.restart;

import java.time.Duration;

/** What to do after a child exited on its own. */
public sealed interface RestartDecision {

    /** Start again after {@code delay} (zero: at once). */
    record Restart(Duration delay) implements RestartDecision {
    }

    /** The mode says no restart: EXITED. */
    record Stay() implements RestartDecision {
    }

    /** Too many restarts within the window: FATAL, with the reason for people. */
    record GiveUp(String reason) implements RestartDecision {
    }
}
