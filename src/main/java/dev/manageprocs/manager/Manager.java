package dev.manageprocs.manager;

import dev.manageprocs.console.ConsoleAccess;
import dev.manageprocs.console.ConsoleHub;
import dev.manageprocs.console.ConsoleSnapshot;
import dev.manageprocs.console.SocketDefaults;
import dev.manageprocs.child.SpawnException;
import dev.manageprocs.handoff.HandoffState;
import dev.manageprocs.handoff.Relaunch;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.ProcessControl;
import dev.manageprocs.unit.Signal;
import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.supervisor.Goal;
import dev.manageprocs.supervisor.Supervisor;
import dev.manageprocs.supervisor.SupervisorContext;
import dev.manageprocs.supervisor.UnitStatus;
import dev.manageprocs.unit.Diagnostic;
import dev.manageprocs.unit.Durations;
import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.LogSpec;
import dev.manageprocs.unit.ManagerConfig;
import dev.manageprocs.unit.ParseResult;
import dev.manageprocs.unit.Unit;
import dev.manageprocs.unit.UnitCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongFunction;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of units: loads them from the unit directories, keeps each one's supervisor and
 * console, reloads, and stops everything on shutdown. The registry lives on the event loop; the
 * public methods may be called from any thread and hop onto the loop themselves.
 *
 * <p>Every change is one task on the loop, and a unit stays registered until its child is gone: a
 * unit being removed or replaced (its supervisor's goal is Remove or Replace) keeps its name, its
 * console endpoints and its place here while it stops, and leaves, or makes way for its successor,
 * in the loop task that sees it retire ({@link #retired}). So a reload, SIGHUP or add in the meantime
 * finds the name taken, and no second child of one unit can ever run.
 */
public final class Manager {
    private static final Logger log = LoggerFactory.getLogger(Manager.class);

    private final ManagerConfig config;
    private final Reactor reactor;
    private final String hostname;
    private final int pid = (int) ProcessHandle.current().pid();
    private final Map<String, String> env = Relaunch.withoutHandoff(SystemdNotifier.forChildren(System.getenv()));
    private final ZoneId zone = ZoneId.systemDefault();
    private final ConsoleAccess consoleAccess = ConsoleAccess.ofThisProcess();
    // loop thread only
    private final Map<String, LoadedUnit> units = new TreeMap<>();
    private List<Skipped> skipped = List.of();
    private volatile boolean stopping;

    public Manager(ManagerConfig config, Reactor reactor, String hostname) {
        this.config = config;
        this.reactor = reactor;
        this.hostname = hostname;
    }

    public ManagerConfig config() {
        return config;
    }

    /** What a reload did, for the operator. */
    public record ReloadReport(List<String> added, List<String> removed, List<String> changed,
                               List<String> restarted, List<Skipped> skipped, List<String> unsettled) {
    }

    /** Scans the unit directories, loads every unit and starts the autostart ones (all at once). */
    public void loadAll() {
        UnitScan scan = UnitScan.of(config.unitDirs(), config.defaults(), hostname);
        stopOrphans(scan);
        List<Unit> started = reactor.call(() -> {
            List<Skipped> problems = new ArrayList<>(scan.skipped());
            List<Unit> toStart = new ArrayList<>();
            for (ParseResult.Ok ok : acceptable(scan.units(), problems)) {
                load(ok, problems).filter(lu -> lu.unit().restart().autostart()).ifPresent(lu -> {
                    lu.supervisor.start("manager start-up (autostart)");
                    toStart.add(lu.unit());
                });
            }
            skipped = List.copyOf(problems);
            return toStart;
        });
        skipped().forEach(s -> log.warn("{} not loaded: {}", s.file(), s.why()));
        log.info("{} units loaded, {} started, {} skipped", count(), started.size(), skipped().size());
    }

    /**
     * Every unit as a value for a live re-exec, with the fds to keep open across it. Loop thread only; the
     * caller must not let the loop run again before the exec (the fds and bytes in it would go stale).
     */
    List<HandoffState.UnitState> handoff() {
        return units.values().stream().map(lu -> new HandoffState.UnitState(lu.parsed, lu.supervisor.snapshot(),
                lu.console.snapshot())).toList();
    }

    /**
     * Takes over the units a previous program of this process handed over in a live re-exec, before the
     * loop reads anything from their terminals or clients; each gets the line {@code line} makes of the
     * gap in its log and on every client. {@link #rescan} then finds the unit files changed since.
     */
    public Adopted adopt(List<HandoffState.UnitState> handedOver, long frozenNanos, LongFunction<String> line) {
        Adopted adopted = reactor.call(() -> {
            int n = 0;
            for (HandoffState.UnitState u : handedOver) {
                if (adopt(u)) {
                    n++;
                }
            }
            long gapMillis = (System.nanoTime() - frozenNanos) / 1_000_000;
            String text = line.apply(gapMillis);
            units.values().forEach(lu -> lu.supervisor.announce(text));
            return new Adopted(n, gapMillis);
        });
        return adopted;
    }

    /**
     * After a live re-exec, once consoles and the control socket work again: which unit files changed on
     * disk since they were loaded (pending, as before), and which cannot be loaded.
     */
    public void rescan() {
        UnitScan scan = UnitScan.of(config.unitDirs(), config.defaults(), hostname);
        reactor.call(() -> {
            for (ParseResult.Ok ok : scan.units()) {
                LoadedUnit lu = units.get(ok.unit().name());
                if (lu != null) {
                    lu.sawOnDisk(ok);
                }
            }
            skipped = List.copyOf(scan.skipped());
            return null;
        });
    }

    /** What {@link #adopt} did: how many units it continued, and how long their consoles stood still. */
    public record Adopted(int units, long gapMillis) {
    }

    /**
     * One handed-over unit; a unit that cannot be continued is logged and stopped, and the others go on
     * (one unit's broken state must not cost every IOC). Loop thread.
     */
    private boolean adopt(HandoffState.UnitState u) {
        Unit unit = u.loaded().unit();
        Path runDir = config.rundir().resolve(unit.name());
        SupervisorContext ctx = context(runDir, logFile(unit));
        Supervisor supervisor;
        try {
            supervisor = Supervisor.adopt(unit, ctx, this::retired, u.supervisor());
        } catch (SpawnException | RuntimeException e) {
            log.error("{}: cannot continue the unit after the re-exec ({}); killing its child", unit.name(), e.toString());
            u.supervisor().child().ifPresent(c -> {
                ProcessControl.kill(-c.pid(), Signal.KILL.number());
                ProcessControl.waitid(ProcessControl.P_PID, c.pid(), ProcessControl.siginfo(), ProcessControl.WEXITED);
                LibC.close(c.masterFd());
                LibC.close(c.pidFd());
            });
            closeConsole(u.console());
            return false;
        }
        try {
            ConsoleHub console = ConsoleHub.resume(reactor, supervisor, socketDefaults(runDir), consoleAccess, u.console());
            supervisor.resumeEndpoints(console.controlAddresses(), console.logAddresses());
            units.put(unit.name(), new LoadedUnit(u.loaded(), supervisor, console));
            return true;
        } catch (RuntimeException e) {
            log.error("{}: cannot continue the console after the re-exec ({}); stopping the unit", unit.name(), e.toString());
            closeConsole(u.console());
            supervisor.retire(Goal.REMOVE, "manager (its console could not be continued after the re-exec)");
            return false;
        }
    }

    /** The handed-over sockets of a console that cannot be continued: nobody else will close them. */
    private void closeConsole(ConsoleSnapshot console) {
        console.listeners().forEach(b -> {
            reactor.unregister(b.fd());
            LibC.close(b.fd());
        });
        console.clients().forEach(c -> {
            reactor.unregister(c.fd());
            LibC.close(c.fd());
        });
    }

    /** Stops, all at once, the children a crashed manager left running (see {@link Orphans}). */
    private void stopOrphans(UnitScan scan) {
        List<Thread> stoppers = new ArrayList<>();
        for (ParseResult.Ok ok : scan.units()) {
            Unit u = ok.unit();
            Orphans.find(config.rundir().resolve(u.name())).ifPresent(pid -> stoppers.add(Thread.ofPlatform()
                    .name("orphan-" + u.name()).start(() -> Orphans.stop(u.name(), pid, u.process()))));
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Re-reads the unit directories: new units are loaded (and autostarted), units whose file is gone
     * are stopped and dropped, changed ones are only reported (restarted when restartChanged).
     */
    public ReloadReport reload(boolean restartChanged, String who) {
        UnitScan scan = UnitScan.of(config.unitDirs(), config.defaults(), hostname);
        record Applied(ReloadReport report, Map<LoadedUnit, CompletableFuture<UnitStatus>> stops) {
        }
        Applied applied = reactor.call(() -> {
            Map<String, ParseResult.Ok> found = new LinkedHashMap<>();
            scan.units().forEach(ok -> found.putIfAbsent(ok.unit().name(), ok));
            List<String> removed = new ArrayList<>();
            Map<LoadedUnit, CompletableFuture<UnitStatus>> stops = new LinkedHashMap<>();
            for (LoadedUnit lu : List.copyOf(units.values())) {
                if (!found.containsKey(lu.name()) && !(lu.goal() instanceof Goal.Remove)) {
                    removed.add(lu.name());
                    stops.put(lu, drop(lu, who + " (reload: unit file removed)"));
                }
            }
            List<String> changed = new ArrayList<>();
            List<ParseResult.Ok> fresh = new ArrayList<>();
            for (ParseResult.Ok ok : found.values()) {
                LoadedUnit lu = units.get(ok.unit().name());
                if (lu == null) {
                    fresh.add(ok);
                } else if (!(lu.goal() instanceof Goal.Remove)) {
                    lu.sawOnDisk(ok);
                    if (lu.goal() instanceof Goal.Replace r && lu.pending().isPresent()
                            && !r.next().unit().equals(ok.unit())) {
                        lu.supervisor.retire(new Goal.Replace(ok), who + " (reload: changed again while being replaced)");
                    } else if (lu.pending().isPresent()) {
                        changed.add(lu.name());
                    }
                }
            }
            List<Skipped> problems = new ArrayList<>(scan.skipped());
            List<String> added = new ArrayList<>();
            for (ParseResult.Ok ok : acceptable(fresh, problems)) {
                load(ok, problems).ifPresent(lu -> {
                    added.add(lu.name());
                    if (lu.unit().restart().autostart()) {
                        lu.supervisor.start(who + " (reload: new unit, autostart)");
                    }
                });
            }
            skipped = List.copyOf(problems);
            List<String> restarted = new ArrayList<>();
            if (restartChanged) {
                for (String name : changed) {
                    LoadedUnit lu = units.get(name);
                    stops.put(lu, restart(lu, who + " (reload --restart-changed)"));
                    restarted.add(name);
                }
            }
            return new Applied(new ReloadReport(added, removed, changed, restarted, skipped, List.of()), stops);
        });
        SettleDeadline deadline = SettleDeadline.forUnits(applied.stops().keySet());
        List<String> unsettled = new ArrayList<>();
        for (var e : applied.stops().entrySet()) {
            if (deadline.await(e.getValue()).isEmpty()) {
                unsettled.add(deadline.unsettled(e.getKey().name(), reactor.call(e.getKey().supervisor::status)));
            }
        }
        ReloadReport r = applied.report();
        ReloadReport report = new ReloadReport(r.added(), r.removed(), r.changed(), r.restarted(), r.skipped(), unsettled);
        log.info("reload by {}: {} added, {} removed, {} changed, {} restarted, {} skipped", who,
                report.added().size(), report.removed().size(), report.changed().size(),
                report.restarted().size(), report.skipped().size());
        return report;
    }

    /** Units whose names match any of the glob patterns, in name order; loop thread. */
    List<LoadedUnit> matching(Collection<String> patterns) {
        List<UnitPattern> globs = patterns.stream().map(UnitPattern::new).toList();
        return units.values().stream().filter(lu -> globs.stream().anyMatch(g -> g.matches(lu.name()))).toList();
    }

    /** The patterns that match no loaded unit (for "no such unit" errors); loop thread. */
    List<String> unmatched(Collection<String> patterns) {
        return patterns.stream().filter(p -> units.keySet().stream().noneMatch(new UnitPattern(p)::matches)).toList();
    }

    Collection<LoadedUnit> all() {
        return units.values();
    }

    Optional<LoadedUnit> get(String name) {
        return Optional.ofNullable(units.get(name));
    }

    List<Skipped> skipped() {
        return reactor.call(() -> skipped);
    }

    Reactor reactor() {
        return reactor;
    }

    int count() {
        return reactor.call(units::size);
    }

    /** Starts the unit, first applying a changed unit file when there is one. Loop thread. */
    CompletableFuture<UnitStatus> start(LoadedUnit lu, String who) {
        if (lu.pending().isPresent()) {
            return replace(lu, who);
        }
        lu.supervisor.start(who);
        return lu.supervisor.whenSettled();
    }

    /** Stops and starts the unit, applying a changed unit file when there is one. Loop thread. */
    CompletableFuture<UnitStatus> restart(LoadedUnit lu, String who) {
        if (lu.pending().isPresent()) {
            return replace(lu, who);
        }
        return lu.supervisor.restart(who);
    }

    /**
     * Loads units a client adds, all or none: when one clashes with a loaded unit or cannot bind its
     * console, the ones loaded so far are unloaded again and the reason is thrown (one sentence).
     * Nothing is started here. Loop thread.
     */
    List<LoadedUnit> loadNew(List<ParseResult.Ok> batch, String who) {
        List<Skipped> problems = new ArrayList<>();
        List<ParseResult.Ok> accepted = acceptable(batch, problems);
        List<LoadedUnit> loaded = new ArrayList<>();
        if (problems.isEmpty()) {
            for (ParseResult.Ok ok : accepted) {
                Optional<LoadedUnit> lu = load(ok, problems);
                if (lu.isEmpty()) {
                    break;
                }
                loaded.add(lu.get());
            }
        }
        if (!problems.isEmpty()) {
            loaded.forEach(lu -> drop(lu, who + " (add failed)"));
            throw new IllegalArgumentException(problems.get(0).why());
        }
        return loaded;
    }

    /**
     * Stops the unit and takes it out of the registry once its child is gone (its file stays); the
     * future completes then. Loop thread.
     */
    CompletableFuture<UnitStatus> drop(LoadedUnit lu, String who) {
        return lu.supervisor.retire(Goal.REMOVE, who);
    }

    /** The units of a new scan that clash with nothing loaded (and with no earlier new unit). */
    private List<ParseResult.Ok> acceptable(List<ParseResult.Ok> candidates, List<Skipped> problems) {
        List<ParseResult.Ok> all = new ArrayList<>();
        units.values().forEach(lu -> all.add(lu.parsed));
        all.addAll(candidates);
        List<ParseResult.Ok> ok = new ArrayList<>(candidates);
        for (UnitCatalog.Conflict c : UnitCatalog.conflicts(all)) {
            ok.removeIf(candidate -> candidate.unit() == c.unit());
            problems.add(new Skipped(c.unit().name(), c.unit().file(), Skipped.Kind.CONFLICT, c.diagnostic().toString()));
        }
        return ok;
    }

    /**
     * Applies the unit's changed file: the unit stops (staying registered, its goal Replace), and in
     * the loop task that sees it retire its successor is loaded and started ({@link #retired}). The
     * future completes with the successor's status once that has settled.
     */
    private CompletableFuture<UnitStatus> replace(LoadedUnit lu, String who) {
        ParseResult.Ok next = lu.pending().orElseThrow();
        log.info("{}: applying the changed unit file {}", lu.name(), next.unit().file());
        CompletableFuture<UnitStatus> done = new CompletableFuture<>();
        lu.handover.add(done);
        lu.supervisor.retire(new Goal.Replace(next), who);
        return done;
    }

    /**
     * A unit whose goal was Remove or Replace has no child any more: it leaves the registry, or makes
     * way for its successor, in this one loop task, so its name is never free in between.
     */
    private void retired(Supervisor supervisor, Goal goal) {
        LoadedUnit lu = units.get(supervisor.unitName());
        if (lu == null || lu.supervisor != supervisor) {
            return; // its console never opened, so it was never registered
        }
        units.remove(lu.name());
        lu.console.close();
        if (!(goal instanceof Goal.Replace replace) || stopping) {
            UnitStatus last = supervisor.status();
            lu.handover.forEach(w -> w.complete(last));
            return;
        }
        List<Skipped> problems = new ArrayList<>();
        ParseResult.Ok next = replace.next();
        Optional<LoadedUnit> successor = acceptable(List.of(next), problems).isEmpty() ? Optional.empty()
                : load(next, problems);
        if (successor.isEmpty()) {
            // the new file cannot run (its console cannot bind): keep the unit with the old file
            log.error("{}: the changed unit file cannot be applied: {}; keeping the previous one",
                    lu.name(), problems.isEmpty() ? "unknown reason" : problems.get(0).why());
            successor = load(lu.parsed, problems);
            successor.ifPresent(previous -> previous.sawOnDisk(next));
        }
        if (successor.isEmpty()) {
            String why = lu.name() + ": cannot load the previous unit file either: "
                    + (problems.isEmpty() ? "unknown reason" : problems.get(problems.size() - 1).why());
            log.error(why);
            lu.handover.forEach(w -> w.completeExceptionally(new IllegalStateException(why)));
            return;
        }
        LoadedUnit now = successor.get();
        now.supervisor.start("manager (the changed unit file of " + lu.name() + " applied)");
        now.supervisor.whenSettled().thenAccept(s -> lu.handover.forEach(w -> w.complete(s)));
    }

    /** Where the unit's console log goes; empty when it has none ({@code file = ""}). */
    Optional<Path> logFile(Unit unit) {
        return switch (unit.log().file()) {
            case LogSpec.LogTarget.Default d -> Optional.of(config.logdir().resolve(unit.name() + ".log"));
            case LogSpec.LogTarget.None n -> Optional.empty();
            case LogSpec.LogTarget.File f -> Optional.of(f.path());
        };
    }

    ZoneId zone() {
        return zone;
    }

    /** True once {@link #shutdown()} has begun: consoles closing then are not the units' own doing. */
    boolean stopping() {
        return stopping;
    }

    /** Creates the unit's supervisor and console; empty (with the reason added to problems) when it cannot listen. */
    private Optional<LoadedUnit> load(ParseResult.Ok ok, List<Skipped> problems) {
        Unit unit = ok.unit();
        Path runDir = config.rundir().resolve(unit.name());
        Optional<Path> logFile = logFile(unit);
        try {
            Files.createDirectories(runDir);
            if (logFile.isPresent() && unit.log().file() instanceof LogSpec.LogTarget.Default) {
                Files.createDirectories(config.logdir());
            }
        } catch (IOException e) {
            problems.add(new Skipped(unit.name(), unit.file(), Skipped.Kind.BROKEN,
                    new Diagnostic(unit.file(), 0, 0, "cannot create " + e.getMessage()
                            + "; check the permissions of rundir and logdir").toString()));
            return Optional.empty();
        }
        SupervisorContext ctx = context(runDir, logFile);
        Supervisor supervisor = new Supervisor(unit, ctx, this::retired);
        ConsoleHub console;
        try {
            console = ConsoleHub.open(reactor, supervisor, socketDefaults(runDir), consoleAccess);
        } catch (IOException e) {
            supervisor.retire(Goal.REMOVE, "manager (console failed)");
            problems.add(new Skipped(unit.name(), unit.file(), Skipped.Kind.CONFLICT,
                    new Diagnostic(unit.file(), 0, 0, e.getMessage()).toString()));
            return Optional.empty();
        }
        supervisor.setEndpoints(console.controlAddresses(), console.logAddresses());
        LoadedUnit lu = new LoadedUnit(ok, supervisor, console);
        units.put(unit.name(), lu);
        return Optional.of(lu);
    }

    private SupervisorContext context(Path runDir, Optional<Path> logFile) {
        return new SupervisorContext(reactor, pid, env, runDir, logFile, zone);
    }

    private SocketDefaults socketDefaults(Path runDir) {
        boolean system = config.mode() == Layout.Mode.SYSTEM;
        return new SocketDefaults(runDir, system ? 0660 : 0600, system ? Optional.of(config.controlGroup()) : Optional.empty());
    }

    /**
     * Every unit closes its console log and opens the path again: logrotate's postrotate, after it
     * renamed the files. Returns how many units there are.
     */
    public int reopenLogs(String who) {
        int n = reactor.call(() -> {
            units.values().forEach(lu -> lu.supervisor.reopenLog());
            return units.size();
        });
        log.info("console logs of {} units reopened, requested by {}", n, who);
        return n;
    }

    /**
     * Stops every unit (stop_signal, stop_timeout, SIGKILL), removes their sidecars and closes their
     * consoles; waits at most the largest stop_timeout plus a margin.
     */
    public void shutdown() {
        stopping = true;
        Duration wait = longestStopTimeout().plusSeconds(5);
        CompletableFuture<Void> all = reactor.call(() -> {
            List<CompletableFuture<UnitStatus>> stops = new ArrayList<>();
            for (LoadedUnit lu : List.copyOf(units.values())) {
                stops.add(drop(lu, "manager shutdown"));
            }
            return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
        });
        try {
            all.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            log.info("all units stopped");
        } catch (Exception e) {
            log.error("not every unit stopped within {} during shutdown: {}", Durations.format(wait), e.toString());
        }
    }

    private Duration longestStopTimeout() {
        return reactor.call(() -> units.values().stream().map(lu -> lu.unit().process().stopTimeout())
                .max(Duration::compareTo).orElse(Duration.ZERO));
    }
}
