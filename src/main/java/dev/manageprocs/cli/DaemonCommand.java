package dev.manageprocs.cli;

import java.nio.file.Path;
import java.util.List;
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

    /** The launch these words ask for (FastPathTest holds the fast path's to it). */
    DaemonLaunch launch() {
        GlobalOptions g = main.global;
        return new DaemonLaunch(g.user, g.system, g.config, g.verbose, unitDirs);
    }

    @Override
    public Integer call() throws Exception {
        return launch().run(spec.commandLine().getErr());
    }
}
