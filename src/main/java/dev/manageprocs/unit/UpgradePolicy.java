package dev.manageprocs.unit;

/**
 * manager.toml's {@code upgrade}: what a package upgrade does to a system manager that is running, which
 * still runs the code it started with (docs/upgrade.md). The package's scripts ask for it with
 * {@code manage-procs --system config upgrade}.
 */
public enum UpgradePolicy {
    /** {@code manage-procs --system daemon-reexec}: the new code takes over in the same pid; no unit stops. */
    REEXEC,
    /** {@code systemctl try-restart manage-procs}: the manager and every unit are stopped and started again. */
    RESTART_UNITS,
    /** Nothing: the old code runs until the manager is next restarted. */
    NONE;

    /** The spelling in manager.toml. */
    public String key() {
        return name().toLowerCase().replace('_', '-');
    }
}
