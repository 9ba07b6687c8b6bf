package dev.manageprocs.control;

import dev.manageprocs.supervisor.UnitStatus;

/**
 * One line of {@code status}.
 *
 * @param console       the first console endpoint as users reach it ("unix:/run/manage-procs/ioc1/control",
 *                      "tcp:127.0.0.1:20000"); empty when the unit has none
 * @param changedOnDisk the unit file changed since this unit was loaded (restart to apply)
 */
public record UnitRow(UnitStatus status, String console, boolean changedOnDisk) {
}
