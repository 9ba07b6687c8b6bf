package dev.manageprocs.handoff;

import dev.manageprocs.console.ConsoleSnapshot;
import dev.manageprocs.supervisor.SupervisorSnapshot;
import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ParseResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a manager hands to the next program of its own process in a live re-exec: how it was configured,
 * and every unit as loaded (its file's text then, not now) with its supervisor's and console's state. The
 * fds the snapshots name stay open across the exec; nothing else does.
 *
 * @param fromVersion the version of the manager that wrote this
 * @param generation  how many live re-execs this process has been through before this one
 * @param requestedBy who asked for it, for the audit line of the new program
 * @param frozenNanos System.nanoTime when the old program stopped reading consoles: the gap starts there
 */
public record HandoffState(String fromVersion, int generation, String requestedBy, long frozenNanos,
        Config config, List<UnitState> units) {

    public HandoffState {
        units = List.copyOf(units);
    }

    /** Every fd the state names: exactly these stay open across the exec. */
    public Set<Integer> fds() {
        Set<Integer> fds = new TreeSet<>();
        for (UnitState u : units) {
            u.supervisor().child().ifPresent(c -> {
                fds.add(c.masterFd());
                fds.add(c.pidFd());
            });
            u.console().listeners().forEach(b -> fds.add(b.fd()));
            u.console().clients().forEach(c -> fds.add(c.fd()));
        }
        return fds;
    }

    /**
     * The manager configuration as loaded: the new program uses this, not the file on disk, so the units
     * keep the directories, sockets and [defaults] they run with (a changed manager.toml applies at the
     * next restart of the manager, as before).
     */
    public record Config(Layout.Mode mode, Optional<Path> file, Optional<String> text, List<Path> unitDirs) {
        public Config {
            unitDirs = List.copyOf(unitDirs);
        }
    }

    /** One unit: its file as loaded, and its state. */
    public record UnitState(ParseResult.Ok loaded, SupervisorSnapshot supervisor, ConsoleSnapshot console) {
    }
}
