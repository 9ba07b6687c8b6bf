package dev.manageprocs.console;

/**
 * The bytes all clients of one unit may hold queued together. Each client may fall far behind on its
 * own (a reader starved of CPU for a moment during a flood must not lose output), yet any number of
 * stalled clients together stay within this budget. Loop thread only.
 */
final class SendBudget {
    private final long limit;
    private long used;

    SendBudget(long limit) {
        this.limit = limit;
    }

    /** Takes n bytes of the budget, or nothing (false) when that would pass the limit. */
    boolean reserve(int n) {
        if (used + n > limit) {
            return false;
        }
        used += n;
        return true;
    }

    void release(int n) {
        used -= n;
    }

    long used() {
        return used;
    }

    long limit() {
        return limit;
    }
}
