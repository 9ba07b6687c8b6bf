package dev.manageprocs.unit;

/** When a child that exited is started again. */
public enum RestartMode {
    ALWAYS, ON_FAILURE, NEVER;

    /** The spelling used in unit files and messages. */
    public String key() {
        return name().toLowerCase().replace('_', '-');
    }
}
