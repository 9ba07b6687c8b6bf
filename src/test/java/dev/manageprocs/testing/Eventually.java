package dev.manageprocs.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until a deadline: tests wait for what a user would see, never for a fixed time. */
public final class Eventually {
    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private Eventually() {
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        until(timeout, condition, () -> what);
    }

    public static void until(BooleanSupplier condition, Supplier<String> whatWeWaitedFor) {
        until(DEFAULT, condition, whatWeWaitedFor);
    }

    /** The description is built only on failure, so it may show the state at the deadline. */
    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatWeWaitedFor) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMicros = 100;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + whatWeWaitedFor.get());
            }
            LockSupport.parkNanos(pauseMicros * 1000);
            pauseMicros = Math.min(pauseMicros * 2, 20_000);
        }
    }
}
