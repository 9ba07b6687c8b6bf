package dev.manageprocs.manager;

import dev.manageprocs.console.ConsoleHub;
import dev.manageprocs.supervisor.Goal;
import dev.manageprocs.supervisor.Supervisor;
import dev.manageprocs.supervisor.UnitStatus;
import dev.manageprocs.unit.ParseResult;
import dev.manageprocs.unit.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A unit the manager runs: its supervisor and console, plus the unit file's newer content when it
 * changed on disk since it was loaded (applied at the next requested start or restart, never on its
 * own). Touched on the event loop only.
 */
final class LoadedUnit {
    final ParseResult.Ok parsed;
    final Supervisor supervisor;
    final ConsoleHub console;
    /** Requests waiting for the successor that replaces this unit (answered with its status). */
    final List<CompletableFuture<UnitStatus>> handover = new ArrayList<>();
    private ParseResult.Ok pending;

    LoadedUnit(ParseResult.Ok parsed, Supervisor supervisor, ConsoleHub console) {
        this.parsed = parsed;
        this.supervisor = supervisor;
        this.console = console;
    }

    Unit unit() {
        return parsed.unit();
    }

    String name() {
        return parsed.unit().name();
    }

    /** What was last asked of the unit: Remove or Replace while it is on its way out. */
    Goal goal() {
        return supervisor.status().goal();
    }

    Optional<ParseResult.Ok> pending() {
        return Optional.ofNullable(pending);
    }

    /** Records what a reload found on disk; the same content as loaded clears a pending change. */
    void sawOnDisk(ParseResult.Ok onDisk) {
        pending = onDisk.unit().equals(parsed.unit()) ? null : onDisk;
    }
}
