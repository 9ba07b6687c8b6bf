package dev.manageprocs.supervisor;

import java.util.EnumSet;
import java.util.Set;

/**
 * A unit's life (docs/states.md). The allowed transitions live here and nowhere else; the supervisor
 * refuses any other.
 */
public enum State {
    /** Not started, or stopped by request. */
    STOPPED,
    /** Spawning the child. */
    STARTING,
    RUNNING,
    /** Exited; waiting out the holdoff before the next start. */
    BACKOFF,
    /** stop_signal sent; SIGKILL follows after stop_timeout. */
    STOPPING,
    /** Exited and the restart policy says no restart. */
    EXITED,
    /** Cannot start: exec failed, chdir missing, restart limit hit. */
    FATAL;

    private Set<State> next;

    static {
        STOPPED.next = EnumSet.of(STARTING);
        STARTING.next = EnumSet.of(RUNNING, FATAL);
        RUNNING.next = EnumSet.of(BACKOFF, STOPPING, EXITED, FATAL);
        BACKOFF.next = EnumSet.of(STARTING, STOPPED, FATAL);
        STOPPING.next = EnumSet.of(STOPPED);
        EXITED.next = EnumSet.of(STARTING, STOPPED);
        FATAL.next = EnumSet.of(STARTING, STOPPED);
    }

    public boolean canGo(State to) {
        return next.contains(to);
    }

    /** True while a child process exists. */
    public boolean childAlive() {
        return this == RUNNING || this == STOPPING;
    }
}
