package dev.manageprocs.unit;

import java.time.Duration;

/** The {@code [restart]} table. {@code maxRestarts == 0} means unlimited. */
public record RestartSpec(
        RestartMode mode,
        Duration holdoff,
        int maxRestarts,
        Duration window,
        boolean autostart) {
}
