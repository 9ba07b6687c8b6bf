package dev.manageprocs.cli;

import dev.manageprocs.manager.Daemon;
import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ManagerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code manage-procs daemon}: the manager in the foreground, as the service unit runs it. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run the manager in the foreground: load every unit file, start the autostart units, "
                + "serve consoles and the control socket. SIGTERM (or ^C) stops every unit and exits 0; SIGHUP "
                + "reloads the unit files (as 'manage-procs reload')."},
        footer = {"", "Examples:",
            "  manage-procs --user daemon --unit-dir units     run the examples of a source checkout",
            "  manage-procs --system daemon                    what the system service runs",
            "", "Exit status: 0 after a clean shutdown, 1 when it cannot start (bad manager.toml, another "
                + "manager on the control socket, unwritable runtime directory)."})
final class DaemonCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--unit-dir", paramLabel = "DIR",
            description = "Read units from DIR instead of the configured unit_dirs (repeatable).")
    List<Path> unitDirs = List.of();

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = main.global;
        if (g.user && g.system) {
            spec.commandLine().getErr().println("manage-procs: --user and --system exclude each other; give one of them");
            return 2;
        }
        Optional<Layout.Mode> mode = g.system ? Optional.of(Layout.Mode.SYSTEM)
                : g.user ? Optional.of(Layout.Mode.USER) : Optional.empty();
        Layout layout = Layout.forThisProcess(mode);
        ManagerConfig config;
        switch (ManagerConfig.load(layout, Optional.ofNullable(g.config))) {
            case ManagerConfig.Result.Failed f -> {
                f.diagnostics().forEach(d -> spec.commandLine().getErr().println(d));
                spec.commandLine().getErr().println("manage-procs: the manager config has errors; fix them and start again");
                return 1;
            }
            case ManagerConfig.Result.Ok ok -> config = ok.config();
        }
        if (!unitDirs.isEmpty()) {
            config = new ManagerConfig(config.mode(), config.file(),
                    unitDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList(), config.rundir(),
                    config.logdir(), config.controlSocket(), config.controlGroup(), config.defaults());
        }
        Daemon.configureLogging(g.verbose);
        return new Daemon(config, Main.version()).run();
    }
}
