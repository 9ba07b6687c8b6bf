package dev.manageprocs.manager;

import dev.manageprocs.access.Audit;
import dev.manageprocs.access.Authorizer;
import dev.manageprocs.control.ControlServer;
import dev.manageprocs.control.Ping;
import dev.manageprocs.control.ReexecMarker;
import dev.manageprocs.handoff.HandoffState;
import dev.manageprocs.posix.Exec;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.supervisor.Announcements;
import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ManagerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager process from start to exit: runtime directory, control socket, units, then waits for
 * SIGTERM/SIGINT (stop everything, exit 0) and handles SIGHUP (reload). Under systemd (Type=notify)
 * it reports READY=1 once the autostart units are started, RELOADING=1/READY=1 around a SIGHUP
 * reload and STOPPING=1 at shutdown. After a live re-exec ({@link Reexec}) it starts from the state the
 * previous program of this process handed over instead of loading the units.
 */
public final class Daemon {
    /** EX_SOFTWARE: the manager stopped on an internal error. */
    private static final int FATAL_EXIT = 70;
    private final ManagerConfig config;
    private final String version;
    private final HandoffState.Config source;
    private final Optional<HandoffState> adopted;

    /**
     * @param source  how the configuration was loaded, for a later re-exec to hand over
     * @param adopted the state a previous program of this process handed over (a live re-exec), if any
     */
    public Daemon(ManagerConfig config, String version, HandoffState.Config source, Optional<HandoffState> adopted) {
        this.config = config;
        this.version = version;
        this.source = source;
        this.adopted = adopted;
    }

    /** DaemonLogConfigurator reads these when the first logger is made, so they are set before anything logs. */
    public static void configureLogging(boolean verbose) {
        boolean journal = System.getenv("JOURNAL_STREAM") != null; // journald stamps time itself
        System.setProperty(DaemonLogConfigurator.PATTERN, (journal ? "" : "%d{yyyy-MM-dd HH:mm:ss.SSS} ")
                + "%-5level %msg%n");
        System.setProperty(DaemonLogConfigurator.LEVEL, verbose ? "DEBUG" : "INFO");
    }

    /** Runs until SIGTERM/SIGINT; returns the exit code (0 clean, 1 could not start). */
    public int run() throws InterruptedException {
        Logger log = LoggerFactory.getLogger("dev.manageprocs.daemon");
        boolean system = config.mode() == Layout.Mode.SYSTEM;
        try {
            createDir(config.rundir(), system ? "rwxr-xr-x" : "rwx------");
        } catch (IOException e) {
            log.error("cannot create the runtime directory {}: {}; check its parent's permissions",
                    config.rundir(), e.getMessage());
            return 1;
        }
        SystemdNotifier systemd = SystemdNotifier.from(System.getenv());
        // An Error on the loop (out of memory, a class the replaced jar no longer has) leaves nothing to
        // vouch for: exit at once, so the service manager restarts us, rather than run on without a loop.
        Reactor reactor = new Reactor("manage-procs-loop", e -> {
            try {
                log.error("the event loop failed ({}); the manager cannot supervise anything any more and exits", e.toString());
            } finally {
                Runtime.getRuntime().halt(FATAL_EXIT);
            }
        });
        Manager manager = new Manager(config, reactor, Hostname.current());
        int generation = adopted.map(a -> a.generation() + 1).orElse(0);
        String running = "running; control socket " + config.controlSocket();
        AtomicReference<Reexec> reexec = new AtomicReference<>();
        ControlServer server = new ControlServer(config.controlSocket(), system ? 0660 : 0600,
                system ? Optional.of(config.controlGroup()) : Optional.empty(),
                new Authorizer(LibC.geteuid(), config.controlGroup()),
                new ManagerCommands(manager, who -> reexec.get().request(who)),
                new Ping(ProcessHandle.current().pid(), version, generation));
        reexec.set(new Reexec(manager, server, systemd, version, generation, source, running));
        if (adopted.isPresent()) {
            adopt(manager, adopted.get(), generation, log); // before the socket: status answers with every unit
        }
        try {
            server.start(); // first: a second manager must refuse before it touches any unit's files
        } catch (IOException e) {
            log.error("{}", e.getMessage());
            if (adopted.isPresent()) {
                log.error("the adopted units run on, but nothing can control them until the control socket is free");
            } else {
                reactor.close();
                return 1;
            }
        }
        ReexecMarker.remove(config.controlSocket());
        if (adopted.isPresent()) {
            manager.rescan();
        }
        CountDownLatch stop = new CountDownLatch(1);
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> stop.countDown());
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> stop.countDown());
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> Thread.ofVirtual().start(() -> {
            systemd.reloading();
            try {
                manager.reload(false, "SIGHUP");
            } catch (RuntimeException e) {
                log.error("reload on SIGHUP failed: {}", e.toString());
            } finally {
                systemd.ready(running);
            }
        }));
        if (adopted.isEmpty()) {
            log.info("manage-procs {} manager started (pid {}), control socket {}, units from {}",
                    version, ProcessHandle.current().pid(), config.controlSocket(), config.unitDirs());
            manager.loadAll();
        }
        systemd.ready(running);
        stop.await();
        systemd.stopping();
        log.info("stopping: stopping every unit");
        server.close();
        manager.shutdown();
        reactor.close();
        log.info("manager stopped");
        return 0;
    }

    /** Continues every unit the previous program handed over, and says how long the consoles stood still. */
    private void adopt(Manager manager, HandoffState state, int generation, Logger log) {
        Exec.closeOnExecAgain(state.fds());
        Manager.Adopted a = manager.adopt(state.units(), state.frozenNanos(),
                gap -> Announcements.reexecuted(state.fromVersion(), version, gap));
        log.info("manage-procs {} manager re-executed (pid {}, generation {}) from version {}: {} of {} units adopted,"
                + " consoles still for {} ms", version, ProcessHandle.current().pid(), generation, state.fromVersion(),
                a.units(), state.units().size(), a.gapMillis());
        Audit.LOG.info("manager re-executed from version {} to {} in {} ms, requested by {}", state.fromVersion(), version,
                a.gapMillis(), state.requestedBy());
    }

    private static void createDir(Path dir, String mode) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        }
    }
}
