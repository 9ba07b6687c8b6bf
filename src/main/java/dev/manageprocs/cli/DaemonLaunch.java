package dev.manageprocs.cli;

import dev.manageprocs.manager.Daemon;
import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ManagerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code manage-procs daemon} runs, from either parser: picocli's DaemonCommand or the fast path
 * (which spares the months-long manager picocli's model of every command).
 */
record DaemonLaunch(boolean user, boolean system, Path config, boolean verbose, List<Path> unitDirs) {

    /** Loads the manager config and runs the manager until SIGTERM; returns the exit code. */
    int run(PrintWriter err) throws InterruptedException {
        if (user && system) {
            err.println("manage-procs: --user and --system exclude each other; give one of them");
            err.flush();
            return 2;
        }
        Optional<Layout.Mode> mode = system ? Optional.of(Layout.Mode.SYSTEM)
                : user ? Optional.of(Layout.Mode.USER) : Optional.empty();
        Layout layout = Layout.forThisProcess(mode);
        ManagerConfig loaded;
        switch (ManagerConfig.load(layout, Optional.ofNullable(config))) {
            case ManagerConfig.Result.Failed f -> {
                f.diagnostics().forEach(err::println);
                err.println("manage-procs: the manager config has errors; fix them and start again");
                err.flush();
                return 1;
            }
            case ManagerConfig.Result.Ok ok -> loaded = ok.config();
        }
        if (!unitDirs.isEmpty()) {
            loaded = loaded.withUnitDirs(unitDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        }
        Daemon.configureLogging(verbose);
        return new Daemon(loaded, Main.version()).run();
    }
}
