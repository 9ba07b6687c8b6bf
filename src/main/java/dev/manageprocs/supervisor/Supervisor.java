package dev.manageprocs.supervisor;

import dev.manageprocs.child.Child;
import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.child.LaunchSpec;
import dev.manageprocs.child.SpawnException;
import dev.manageprocs.console.ConsoleTarget;
import dev.manageprocs.posix.Epoll;
import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.unit.Durations;
import dev.manageprocs.restart.RestartDecision;
import dev.manageprocs.restart.RestartPolicy;
import dev.manageprocs.sidecar.InfoFile;
import dev.manageprocs.sidecar.RunDir;
import dev.manageprocs.unit.ConsoleSpec;
import dev.manageprocs.unit.RestartMode;
import dev.manageprocs.unit.Signal;
import dev.manageprocs.unit.Unit;
import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit's life: spawns its child on a PTY (whose output and input a {@link PtyPump} moves, to and
 * from the unit's {@link ConsoleOutput}), restarts it by policy, stops it with escalation, keeps its
 * pid and info files.
 *
 * <p>Everything here runs on the event loop thread (the manager reaches it through
 * {@link Reactor#call}); that single thread is why no field needs a lock. State changes go through
 * {@link #moveTo}, which enforces the transitions of {@link State}.
 */
public final class Supervisor implements ConsoleTarget {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    private final SupervisorContext ctx;
    private final Reactor reactor;
    private final RunDir runDir;
    private final ConsoleOutput output;
    private final InfoFileWriter infoFile;
    private final List<CompletableFuture<UnitStatus>> stopWaiters = new ArrayList<>();

    private final Unit unit;
    private final RestartPolicy policy;
    private RestartMode mode;
    private State state = State.STOPPED;
    private Child child;
    private PtyPump pump;
    private long startedNanos;
    private Instant since = Instant.now();
    private int restarts;
    private ExitStatus lastExit;
    private String problem;
    private Reactor.Timer timer;
    private boolean startAfterStop;
    /** Being removed (reload, shutdown): nothing may start the child again, not even a restart in flight. */
    private boolean unloaded;
    private List<String> controlEndpoints = List.of();
    private List<String> logEndpoints = List.of();
    private int rows = 24;
    private int cols = 80;

    public Supervisor(Unit unit, SupervisorContext ctx) {
        this.unit = unit;
        this.ctx = ctx;
        this.reactor = ctx.reactor();
        this.runDir = new RunDir(ctx.runDir());
        this.policy = new RestartPolicy(unit.restart());
        this.mode = unit.restart().mode();
        this.output = new ConsoleOutput(unit.name(), ctx.logFile(), unit.log(), ctx.zone());
        this.infoFile = new InfoFileWriter(reactor, runDir, this::infoFileContent, unit.name());
    }

    // ---- operations (event loop thread) ----

    /** The console endpoints ("tcp:127.0.0.1:20000", "unix:/path") for the info file and PROCSERV_INFO. */
    public void setEndpoints(List<String> control, List<String> readOnly) {
        controlEndpoints = List.copyOf(control);
        logEndpoints = List.copyOf(readOnly);
        infoFile.changed();
    }

    /** Starts the child unless it runs; a unit in backoff starts at once. Resets the restart count window. */
    public void start(String who) {
        if (unloaded) {
            log.info("{}: not starting for {}: the unit is being removed", unit.name(), who);
            return;
        }
        switch (state) {
            case RUNNING, STARTING -> { }
            case STOPPING -> startAfterStop = true;
            case BACKOFF, STOPPED, EXITED, FATAL -> {
                audit(who, "start");
                cancelTimer();
                policy.reset();
                spawn();
            }
        }
    }

    /**
     * Stops the unit: stop_signal to the process group, SIGKILL after stop_timeout. The future
     * completes once the unit is STOPPED (at once when no child runs).
     */
    public CompletableFuture<UnitStatus> stop(String who) {
        CompletableFuture<UnitStatus> done = new CompletableFuture<>();
        startAfterStop = false;
        switch (state) {
            case RUNNING -> {
                audit(who, "stop");
                stopWaiters.add(done);
                Signal sig = unit.process().stopSignal();
                output.announce(List.of(Announcements.stopping(unit.name(), sig.name(), who)));
                moveTo(State.STOPPING, "sending " + sig + " to process group " + child.pid());
                child.signalGroup(sig);
                timer = reactor.schedule(unit.process().stopTimeout(), this::stopTimedOut);
            }
            case STOPPING -> stopWaiters.add(done);
            case BACKOFF, EXITED, FATAL -> {
                audit(who, "stop");
                cancelTimer();
                output.announce(List.of(Announcements.shutDown(unit.name())));
                moveTo(State.STOPPED, "stopped by request");
                done.complete(status());
            }
            case STOPPED, STARTING -> done.complete(status());
        }
        return done;
    }

    /** Stops a running child, then starts it again. */
    public CompletableFuture<UnitStatus> restart(String who) {
        CompletableFuture<UnitStatus> done = new CompletableFuture<>();
        if (state.childAlive()) {
            stop(who).thenRun(() -> {
                start(who);
                done.complete(status());
            });
        } else {
            start(who);
            done.complete(status());
        }
        return done;
    }

    /** Sends a signal to the child's process group; false when no child runs. */
    public boolean kill(Signal signal, String who) {
        if (child == null) {
            return false;
        }
        audit(who, "kill " + signal + " to process group " + child.pid());
        return child.signalGroup(signal);
    }


    /** The child's window size, now and for later starts (the most recent interactive attach wins). */
    @Override
    public void resize(int newRows, int newCols) {
        rows = newRows;
        cols = newCols;
        if (child != null) {
            child.resize(rows, cols);
        }
    }

    /** Stops the child (if any), then removes the sidecar files and closes the log: the unit is gone. */
    public CompletableFuture<UnitStatus> unload(String who) {
        // A restart waiting for the same stop would start a child that no one stops any more.
        unloaded = true;
        return stop(who).thenApply(s -> {
            infoFile.close();
            runDir.removeSidecars();
            output.close();
            return s;
        });
    }

    /** logrotate's postrotate: the log file was moved away, open a new one. */
    public void reopenLog() {
        output.reopenLog();
    }

    // ---- ConsoleTarget ----

    @Override
    public String unitName() {
        return unit.name();
    }

    @Override
    public ConsoleSpec consoleSpec() {
        return unit.console();
    }

    /**
     * The unit's status. A pending info-file write is done first: whoever is given this status (a
     * {@code status} or {@code stop} answer, a console banner) may tell a script, and the script must
     * then find the same state in the info file, not an older one.
     */
    @Override
    public UnitStatus status() {
        infoFile.flush();
        return snapshot();
    }

    /** The status without writing the info file: for listeners, told at every change. */
    private UnitStatus snapshot() {
        return new UnitStatus(unit.name(), state,
                child != null ? OptionalInt.of(child.pid()) : OptionalInt.empty(),
                Optional.of(since), restarts, Optional.ofNullable(lastExit), mode, Optional.ofNullable(problem));
    }

    @Override
    public void input(byte[] buf, int off, int len) {
        if (pump != null) {
            pump.input(buf, off, len);
        }
    }

    @Override
    public void killKey(String who) {
        kill(unit.process().killSignal(), who + " (kill key)");
    }

    @Override
    public void toggleKey(String who) {
        mode = mode == RestartMode.NEVER ? unit.restart().mode() : RestartMode.NEVER;
        audit(who, "toggle key: auto restart is now " + mode.key());
        infoFile.changed();
        notifyState();
    }

    @Override
    public void restartKey(String who) {
        if (!state.childAlive()) {
            start(who + " (restart key)");
        }
    }

    @Override
    public void quitKey(String who) {
        if (!state.childAlive()) {
            stop(who + " (quit key)");
        }
    }

    @Override
    public void addListener(OutputListener listener) {
        output.addListener(listener);
    }

    @Override
    public void removeListener(OutputListener listener) {
        output.removeListener(listener);
    }

    // ---- the child's life ----

    private void spawn() {
        moveTo(State.STARTING, null);
        LaunchSpec spec;
        try {
            spec = launchSpec();
        } catch (IOException e) {
            fail("cannot read env_file: " + e.getMessage());
            return;
        }
        try {
            child = Child.spawn(spec);
        } catch (SpawnException e) {
            fail(e.getMessage());
            return;
        }
        startedNanos = System.nanoTime();
        problem = null;
        output.openLogIfNeeded();
        pump = new PtyPump(reactor, ctx.buffers(), child.masterFd(), output, unit.name());
        reactor.register(child.pidFd(), Epoll.EPOLLIN, ev -> childExited());
        try {
            runDir.writePid(child.pid());
        } catch (IOException e) {
            log.warn("{}: cannot write the pid file in {}: {}", unit.name(), ctx.runDir(), e.getMessage());
        }
        output.announce(Announcements.started(unit.name(), spec.argv().get(0), child.pid()));
        moveTo(State.RUNNING, "pid " + child.pid());
    }

    private LaunchSpec launchSpec() throws IOException {
        var p = unit.process();
        Map<String, String> fromFile = p.envFile().isPresent()
                ? ChildEnvironment.readEnvFile(p.envFile().get()) : Map.of();
        String info = ChildEnvironment.procservInfo(ctx.managerPid(), controlEndpoints, logEndpoints);
        Map<String, String> env = ChildEnvironment.build(ctx.managerEnv(), fromFile, p.env(), unit.name(), info);
        return new LaunchSpec(p.command(), p.chdir(), env, p.umask(), p.coreSize(), p.user(), p.group(), rows, cols);
    }

    private void fail(String why) {
        problem = why;
        log.error("{}: cannot start: {}", unit.name(), why);
        output.announce(List.of("@@@ Cannot start child \"" + unit.name() + "\": " + why));
        moveTo(State.FATAL, why);
    }

    private void stopTimedOut() {
        if (child != null) {
            log.warn("{}: still running {} after {}; sending SIGKILL to process group {}", unit.name(),
                    unit.process().stopSignal(), Durations.format(unit.process().stopTimeout()), child.pid());
            child.signalGroup(Signal.KILL);
        }
    }

    private void childExited() {
        Optional<ExitStatus> reaped = child.reap();
        if (reaped.isEmpty()) {
            return;
        }
        ExitStatus exit = reaped.get();
        int pid = child.pid();
        // The leader is gone; anything left in its group (background jobs) must not outlive it.
        child.signalGroup(Signal.KILL);
        pump.drain();
        closeChild();
        lastExit = exit;
        runDir.removePid();
        cancelTimer();
        long now = System.nanoTime();
        ZonedDateTime wall = ZonedDateTime.now(ctx.zone());
        if (state == State.STOPPING) {
            output.announce(Announcements.exited(pid, exit, wall, Announcements.STOPPED, unit.console().keys()));
            moveTo(State.STOPPED, "pid " + pid + " " + exit.describe());
            List<CompletableFuture<UnitStatus>> waiters = new ArrayList<>(stopWaiters);
            stopWaiters.clear();
            waiters.forEach(w -> w.complete(status()));
            if (startAfterStop) {
                startAfterStop = false;
                start("restart after stop");
            }
            return;
        }
        RestartDecision decision = policy.afterExit(mode, exit, startedNanos, now);
        String outcome = switch (decision) {
            case RestartDecision.Restart r -> Announcements.RESTARTING;
            case RestartDecision.Stay s -> Announcements.NO_RESTART;
            case RestartDecision.GiveUp g -> "giving up: " + g.reason();
        };
        output.announce(Announcements.exited(pid, exit, wall, outcome, unit.console().keys()));
        switch (decision) {
            case RestartDecision.Stay s -> moveTo(State.EXITED, "pid " + pid + " " + exit.describe()
                    + "; restart mode " + mode.key() + " does not restart it");
            case RestartDecision.GiveUp g -> {
                problem = "gave up: " + g.reason();
                moveTo(State.FATAL, "pid " + pid + " " + exit.describe() + "; " + problem);
            }
            case RestartDecision.Restart r -> {
                moveTo(State.BACKOFF, "pid " + pid + " " + exit.describe() + "; restarting in "
                        + Durations.format(r.delay()));
                timer = reactor.schedule(r.delay(), () -> {
                    timer = null;
                    policy.restarted(System.nanoTime());
                    restarts++;
                    spawn();
                });
            }
        }
    }

    private void closeChild() {
        pump.close();
        pump = null;
        reactor.unregister(child.pidFd());
        child.close();
        child = null;
    }

    // ---- state, sidecars, audit ----

    private void moveTo(State to, String detail) {
        State from = state;
        if (!from.canGo(to) && from != to) {
            throw new IllegalStateException(unit.name() + ": no transition " + from + " -> " + to);
        }
        state = to;
        since = Instant.now();
        if (to == State.STOPPED) {
            problem = null;
        }
        log.info("{}: {} -> {}{}", unit.name(), from, to, detail == null ? "" : " (" + detail + ")");
        infoFile.changed();
        notifyState();
    }

    private void notifyState() {
        // No info-file write per change here: listeners (the console hub) only remember the state,
        // and what they show a client (the banner) comes from status(), which writes it first.
        output.stateChanged(snapshot());
    }

    private InfoFile infoFileContent() {
        List<String> endpoints = new ArrayList<>(controlEndpoints);
        endpoints.addAll(logEndpoints);
        return new InfoFile(ctx.managerPid(), endpoints,
                child != null ? OptionalInt.of(child.pid()) : OptionalInt.empty(), state.name());
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void audit(String who, String what) {
        log.info("{}: {} requested by {}", unit.name(), what, who);
    }
}
