package dev.manageprocs.supervisor;

import dev.manageprocs.access.Audit;
import dev.manageprocs.child.Child;
import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.child.LaunchSpec;
import dev.manageprocs.child.SpawnException;
import dev.manageprocs.posix.Epoll;
import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.restart.RestartDecision;
import dev.manageprocs.restart.RestartPolicy;
import dev.manageprocs.sidecar.InfoFile;
import dev.manageprocs.sidecar.RunDir;
import dev.manageprocs.unit.ConsoleSpec;
import dev.manageprocs.unit.Durations;
import dev.manageprocs.unit.RestartMode;
import dev.manageprocs.unit.Signal;
import dev.manageprocs.unit.Unit;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit's life: spawns its child on a PTY (whose output and input a {@link PtyPump} moves, to and
 * from the unit's {@link ConsoleOutput}), restarts it by policy, stops it with escalation, keeps its
 * pid and info files.
 *
 * <p>Requests set the unit's {@link Goal}; the child's exit and the end of a holdoff read the goal
 * and the {@link State} and decide from those alone what happens next, so no earlier request can
 * act behind a later one's back. A unit whose goal is Remove or Replace retires once its child is
 * gone: it removes its files and tells its {@link Owner}, which takes it out of the registry (or puts
 * its successor in) in that same loop task. Requests that want to answer their caller get a future
 * that completes once the unit has settled for the goal then in force ({@link #whenSettled}); futures
 * only report, they never decide.
 *
 * <p>Everything here runs on the event loop thread (the manager reaches it through
 * {@link Reactor#call}); that single thread is why no field needs a lock. State changes go through
 * {@link #moveTo}, which enforces the transitions of {@link State}.
 */
public final class Supervisor implements ConsoleTarget {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** Who is told when a retiring unit is done: its child is gone and its files are removed. */
    @FunctionalInterface
    public interface Owner {
        /** @param goal the Remove or Replace goal the unit retired for */
        void retired(Supervisor supervisor, Goal goal);
    }

    private final SupervisorContext ctx;
    private final Reactor reactor;
    private final RunDir runDir;
    private final ConsoleOutput output;
    private final Owner owner;
    private final List<CompletableFuture<UnitStatus>> settleWaiters = new ArrayList<>();

    private final Unit unit;
    private final RestartPolicy policy;
    private RestartMode mode;
    private Goal goal = Goal.STOP;
    private State state = State.STOPPED;
    private boolean retired;
    private Child child;
    private PtyPump pump;
    private long startedNanos;
    private Instant since = Instant.now();
    private int restarts;
    private ExitStatus lastExit;
    private String problem;
    private Reactor.Timer timer;
    private List<String> controlEndpoints = List.of();
    private List<String> logEndpoints = List.of();
    private int rows = 24;
    private int cols = 80;

    public Supervisor(Unit unit, SupervisorContext ctx, Owner owner) {
        this.unit = unit;
        this.ctx = ctx;
        this.owner = owner;
        this.reactor = ctx.reactor();
        this.runDir = new RunDir(ctx.runDir());
        this.policy = new RestartPolicy(unit.restart());
        this.mode = unit.restart().mode();
        this.output = new ConsoleOutput(unit.name(), ctx.logFile(), unit.log(), ctx.zone());
    }

    /**
     * Continues a unit from what the previous program of this process handed over in a live re-exec: the
     * same child (still this process's child, so its exit is reaped here), the same counters, the same
     * deadlines. A child that exited during the exec is reaped once the loop runs. Loop thread only.
     */
    public static Supervisor adopt(Unit unit, SupervisorContext ctx, Owner owner, SupervisorSnapshot s)
            throws SpawnException {
        Supervisor sv = new Supervisor(unit, ctx, owner);
        sv.goal = s.goal();
        sv.state = s.state();
        sv.mode = s.mode();
        sv.since = s.since();
        sv.restarts = s.restarts();
        sv.lastExit = s.lastExit().orElse(null);
        sv.problem = s.problem().orElse(null);
        sv.policy.restore(s.restartTimes());
        sv.rows = s.rows();
        sv.cols = s.cols();
        s.log().ifPresent(sv.output::resumeLog);
        if (s.child().isPresent()) {
            SupervisorSnapshot.Running c = s.child().get();
            sv.child = Child.adopt(c.pid(), c.masterFd(), c.pidFd(), c.ttyName(), c.startTime());
            sv.startedNanos = c.startedNanos();
            sv.pump = PtyPump.adopt(sv.reactor, c.masterFd(), sv.output, unit.name(), c.pty());
            sv.reactor.register(c.pidFd(), Epoll.EPOLLIN, ev -> sv.childExited());
        }
        if (s.timerDue().isPresent()) {
            Duration left = Duration.ofNanos(Math.max(0, s.timerDue().getAsLong() - System.nanoTime()));
            sv.timer = sv.reactor.schedule(left, sv.state == State.BACKOFF ? sv::holdoffOver : sv::stopTimedOut);
        }
        return sv;
    }

    /** Everything this supervisor knows, for a live re-exec; the fds in it must stay open across the exec. */
    public SupervisorSnapshot snapshot() {
        Optional<SupervisorSnapshot.Running> running = child == null ? Optional.empty()
                : Optional.of(new SupervisorSnapshot.Running(child.pid(), child.masterFd(), child.pidFd(),
                        child.ttyName(), child.startTime(), startedNanos, pump.snapshot()));
        return new SupervisorSnapshot(state, goal, mode, since, restarts, Optional.ofNullable(lastExit),
                Optional.ofNullable(problem), timer == null ? OptionalLong.empty()
                        : OptionalLong.of(timer.dueNanos()), policy.restartTimes(), rows, cols, running,
                output.logSnapshot());
    }

    /** A server line ("@@@ ...") to the unit's log and every client. */
    public void announce(String line) {
        output.announce(List.of(line));
    }

    // ---- requests (event loop thread) ----

    /**
     * The console endpoints ("tcp:127.0.0.1:20000", "unix:/path") for PROCSERV_INFO and the info
     * file, which is written now: it holds nothing else, so it changes only with them.
     */
    public void setEndpoints(List<String> control, List<String> readOnly) {
        resumeEndpoints(control, readOnly);
        List<String> all = new ArrayList<>(controlEndpoints);
        all.addAll(logEndpoints);
        try {
            runDir.writeInfo(new InfoFile(ctx.managerPid(), all));
        } catch (IOException e) {
            log.warn("{}: cannot write the info file in {}: {}", unit.name(), runDir.dir(), e.getMessage());
        }
    }

    /** The endpoints of a console handed over by a live re-exec: the info file already names them. */
    public void resumeEndpoints(List<String> control, List<String> readOnly) {
        controlEndpoints = List.copyOf(control);
        logEndpoints = List.copyOf(readOnly);
    }

    /** Goal Run: starts the child unless it runs; a unit in backoff starts at once. Resets the restart count window. */
    public void start(String who) {
        if (goal.retiring()) {
            log.info("{}: not starting for {}: the unit is being {}d", unit.name(), who, goal.word());
            return;
        }
        goal = Goal.RUN;
        switch (state) {
            case RUNNING, STARTING -> { }
            case STOPPING -> audit(who, "start (once the child has stopped)");
            case BACKOFF, STOPPED, EXITED, FATAL -> {
                audit(who, "start");
                cancelTimer();
                policy.reset();
                spawn();
            }
        }
        settle();
    }

    /**
     * Goal Stop: stop_signal to the process group, SIGKILL after stop_timeout. The future completes
     * once the unit has settled (at once when no child runs).
     */
    public CompletableFuture<UnitStatus> stop(String who) {
        if (!goal.retiring()) {
            goal = Goal.STOP;
        }
        bringDown(who);
        return whenSettled();
    }

    /** Goal Run, through a stop of the running child: the exit then starts a new one at once. */
    public CompletableFuture<UnitStatus> restart(String who) {
        if (goal.retiring()) {
            log.info("{}: not restarting for {}: the unit is being {}d", unit.name(), who, goal.word());
            return whenSettled();
        }
        if (state == State.RUNNING) {
            goal = Goal.RUN;
            audit(who, "restart");
            bringDown(who);
        } else {
            start(who);
        }
        return whenSettled();
    }

    /**
     * Goal Remove or Replace: stops the child, then removes the pid and info files, closes the log and
     * tells the owner, which takes the unit out of the registry or puts its successor in. A later
     * Replace only changes which file the successor comes from; Remove wins over Replace.
     */
    public CompletableFuture<UnitStatus> retire(Goal retiring, String who) {
        if (!retiring.retiring()) {
            throw new IllegalArgumentException("retire takes Remove or Replace, not " + retiring.word());
        }
        if (retired) {
            return whenSettled();
        }
        if (goal instanceof Goal.Remove && retiring instanceof Goal.Replace) {
            log.info("{}: not replacing for {}: the unit is being removed", unit.name(), who);
            return whenSettled();
        }
        goal = retiring;
        audit(who, retiring.word());
        bringDown(who);
        return whenSettled();
    }

    /**
     * Completes with the unit's status once it has settled for its goal: Run, when a child runs or the
     * policy has decided (RUNNING, BACKOFF, EXITED, FATAL); Stop, when STOPPED; Remove and Replace, when
     * retired. A request superseded meanwhile gets the status the newer goal settled in.
     */
    public CompletableFuture<UnitStatus> whenSettled() {
        CompletableFuture<UnitStatus> f = new CompletableFuture<>();
        settleWaiters.add(f);
        settle();
        return f;
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

    /** The unit's status now. */
    @Override
    public UnitStatus status() {
        return new UnitStatus(unit.name(), state, goal,
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

    /** Auto restart between the unit's mode and never; the log and every client are told. */
    @Override
    public void toggleKey(String who) {
        mode = mode == RestartMode.NEVER ? unit.restart().mode() : RestartMode.NEVER;
        audit(who, "toggle key: auto restart is now " + mode.key());
        output.announce(List.of(Announcements.toggled(mode)));
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

    /**
     * STARTING, then RUNNING with a watched child, or FATAL with the reason: whatever goes wrong on the
     * way, the unit never stays STARTING and no child is left running unwatched.
     */
    private void spawn() {
        moveTo(State.STARTING, null);
        LaunchSpec spec;
        try {
            spec = launchSpec();
            child = Child.spawn(spec);
            startedNanos = System.nanoTime();
            problem = null;
            output.openLogIfNeeded();
            pump = new PtyPump(reactor, child.masterFd(), output, unit.name());
            reactor.register(child.pidFd(), Epoll.EPOLLIN, ev -> childExited());
        } catch (IOException e) {
            fail("cannot read env_file: " + e.getMessage());
            return;
        } catch (SpawnException e) {
            fail(e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.error("{}: unexpected failure while starting the child", unit.name(), e);
            abandonChild();
            fail(e.getMessage() != null ? e.getMessage() : e.toString());
            return;
        }
        try {
            runDir.writePid(child.pid());
        } catch (IOException e) {
            log.warn("{}: cannot write the pid file in {}: {}", unit.name(), ctx.runDir(), e.getMessage());
        }
        output.announce(Announcements.started(unit.name(), spec.argv().get(0), child.pid()));
        moveTo(State.RUNNING, "pid " + child.pid());
    }

    /** A child whose watch could not be set up: it must not run on unsupervised. */
    private void abandonChild() {
        if (pump != null) {
            pump.close();
            pump = null;
        }
        if (child != null) {
            reactor.unregister(child.pidFd());
            child.abandon();
            child = null;
        }
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
        output.announce(List.of(Announcements.cannotStart(unit.name(), why)));
        moveTo(State.FATAL, why);
    }

    /** Towards a goal without a child (Stop, Remove, Replace, or the first half of a restart). */
    private void bringDown(String who) {
        switch (state) {
            case RUNNING -> {
                audit(who, "stop");
                Signal sig = unit.process().stopSignal();
                output.announce(List.of(Announcements.stopping(unit.name(), sig.name(), who)));
                moveTo(State.STOPPING, "sending " + sig + " to process group " + child.pid());
                child.signalGroup(sig);
                timer = reactor.schedule(unit.process().stopTimeout(), this::stopTimedOut);
            }
            case BACKOFF, EXITED, FATAL -> {
                audit(who, "stop");
                cancelTimer();
                output.announce(List.of(Announcements.shutDown(unit.name())));
                moveTo(State.STOPPED, "stopped by request");
            }
            case STOPPING, STOPPED, STARTING -> { } // STARTING never lasts beyond the task that spawns
        }
        retireWhenDown();
        settle();
    }

    private void stopTimedOut() {
        timer = null;
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
        ZonedDateTime wall = ZonedDateTime.now(ctx.zone());
        if (state == State.STOPPING) {
            output.announce(Announcements.exited(pid, exit, wall, Announcements.STOPPED, unit.console().keys()));
            moveTo(State.STOPPED, "pid " + pid + " " + exit.describe());
            if (goal instanceof Goal.Run) {
                // a restart, or a start while it stopped: the stop was only the first half
                policy.reset();
                spawn();
            }
            retireWhenDown();
            settle();
            return;
        }
        RestartDecision decision = policy.afterExit(mode, exit, startedNanos, System.nanoTime());
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
                timer = reactor.schedule(r.delay(), this::holdoffOver);
            }
        }
        settle();
    }

    /** The holdoff of an automatic restart is over (a request that changed the goal cancelled this timer). */
    private void holdoffOver() {
        timer = null;
        policy.restarted(System.nanoTime());
        restarts++;
        spawn();
        settle();
    }

    private void closeChild() {
        pump.close();
        pump = null;
        reactor.unregister(child.pidFd());
        child.close();
        child = null;
    }

    /** A retiring unit without a child releases its files and tells its owner, once. */
    private void retireWhenDown() {
        if (!goal.retiring() || retired || state != State.STOPPED) {
            return;
        }
        retired = true;
        runDir.removeSidecars();
        output.close();
        owner.retired(this, goal);
    }

    private boolean settled() {
        return switch (goal) {
            case Goal.Run r -> state == State.RUNNING || state == State.BACKOFF || state == State.EXITED
                    || state == State.FATAL;
            case Goal.Stop s -> state == State.STOPPED;
            case Goal.Remove r -> retired;
            case Goal.Replace r -> retired;
        };
    }

    /** Answers the requests waiting for the unit to settle, once it has. */
    private void settle() {
        if (settleWaiters.isEmpty() || !settled()) {
            return;
        }
        UnitStatus now = status();
        List<CompletableFuture<UnitStatus>> waiting = List.copyOf(settleWaiters);
        settleWaiters.clear();
        waiting.forEach(w -> w.complete(now));
    }

    // ---- state, audit ----

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
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void audit(String who, String what) {
        Audit.LOG.info("{}: {} requested by {}", unit.name(), what, who);
    }
}
