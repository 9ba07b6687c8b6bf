package dev.manageprocs.control;

import dev.manageprocs.unit.Diagnostic;
import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ManagerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the client finds the manager's control socket (docs/paths.md): the same {@link Layout} and
 * manager.toml the daemon reads, so both always agree. manager.toml is parsed only when there is
 * one (or --config names it), which keeps the usual client start fast; no JNA, no logging.
 */
public record SocketPath(Path path, boolean system) {

    /** A problem the user must fix before any command can reach the manager; the message is one sentence. */
    public static final class Unresolvable extends Exception {
        private static final long serialVersionUID = 1L;

        Unresolvable(String message) {
            super(message);
        }
    }

    /**
     * @param user   --user given
     * @param system --system given (both is a usage error the caller reports first)
     * @param config --config, when given
     */
    public static SocketPath resolve(boolean user, boolean system, Optional<Path> config) throws Unresolvable {
        Optional<Layout.Mode> mode = system ? Optional.of(Layout.Mode.SYSTEM)
                : user ? Optional.of(Layout.Mode.USER) : Optional.empty();
        Layout layout = Layout.forThisProcess(mode);
        boolean systemMode = layout.mode() == Layout.Mode.SYSTEM;
        if (config.isEmpty() && !Files.exists(layout.configFile())) {
            return new SocketPath(layout.controlSocket(), systemMode);
        }
        return switch (ManagerConfig.load(layout, config)) {
            case ManagerConfig.Result.Ok ok -> new SocketPath(ok.config().controlSocket(), systemMode);
            case ManagerConfig.Result.Failed f -> {
                Diagnostic first = f.diagnostics().get(0);
                throw new Unresolvable(first + (f.diagnostics().size() > 1 ? " (and " + (f.diagnostics().size() - 1)
                        + " more problems; 'manage-procs check' lists them)" : "") + "; fix the manager config first");
            }
        };
    }

    /** How to get a manager running in this mode, for the "no manager" sentence. */
    public String startHint() {
        return system
                ? "start one with 'manage-procs --system daemon' (or 'systemctl start manage-procs')"
                : "start one with 'manage-procs daemon' (or 'systemctl --user start manage-procs')";
    }
}
