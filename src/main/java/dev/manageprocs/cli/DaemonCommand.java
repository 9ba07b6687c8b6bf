package dev.manageprocs.cli;

import dev.manageprocs.control.Authorizer;
import dev.manageprocs.control.ControlServer;
import dev.manageprocs.manager.Hostname;
import dev.manageprocs.manager.Manager;
import dev.manageprocs.manager.ManagerCommands;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ManagerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
        configureLogging(g.verbose);
        return run(config, layout.mode() == Layout.Mode.SYSTEM);
    }

    /** Logback reads these when the first logger is made, so they are set before anything logs. */
    private static void configureLogging(boolean verbose) {
        boolean journal = System.getenv("JOURNAL_STREAM") != null; // journald stamps time itself
        System.setProperty("manageprocs.logpattern", (journal ? "" : "%d{yyyy-MM-dd HH:mm:ss.SSS} ")
                + "%-5level %msg%n");
        System.setProperty("manageprocs.loglevel", verbose ? "DEBUG" : "INFO");
    }

    private int run(ManagerConfig config, boolean systemMode) throws InterruptedException {
        Logger log = LoggerFactory.getLogger("dev.manageprocs.daemon");
        try {
            createDir(config.rundir(), systemMode ? "rwxr-xr-x" : "rwx------");
        } catch (IOException e) {
            log.error("cannot create the runtime directory {}: {}; check its parent's permissions",
                    config.rundir(), e.getMessage());
            return 1;
        }
        Reactor reactor = new Reactor("manage-procs-loop");
        Manager manager = new Manager(config, reactor, Hostname.current());
        ControlServer server = new ControlServer(config.controlSocket(), systemMode ? 0660 : 0600,
                systemMode ? Optional.of(config.controlGroup()) : Optional.empty(),
                new Authorizer(LibC.geteuid(), config.controlGroup()), new ManagerCommands(manager));
        try {
            server.start(); // first: a second manager must refuse before it touches any unit's files
        } catch (IOException e) {
            log.error("{}", e.getMessage());
            reactor.close();
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> stop.countDown());
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> stop.countDown());
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> Thread.ofVirtual().start(() -> {
            try {
                manager.reload(false, "SIGHUP");
            } catch (RuntimeException e) {
                log.error("reload on SIGHUP failed: {}", e.toString());
            }
        }));
        log.info("manage-procs {} manager started (pid {}), control socket {}, units from {}",
                Main.version(), ProcessHandle.current().pid(), config.controlSocket(), config.unitDirs());
        manager.loadAll();
        stop.await();
        log.info("stopping: stopping every unit");
        server.close();
        manager.shutdown();
        reactor.close();
        log.info("manager stopped");
        return 0;
    }

    private static void createDir(Path dir, String mode) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        }
    }
}
