package dev.manageprocs.supervisor;

import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.testing.Eventually;
import dev.manageprocs.unit.Unit;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** One supervisor on its own event loop, with a listener that records everything a console would see. */
final class SupervisorHarness implements AutoCloseable, OutputListener {
    static final Duration WAIT = Duration.ofSeconds(15);

    final Reactor reactor = new Reactor("test-loop");
    final Supervisor supervisor;
    final Path runDir;
    final Path logFile;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final List<String> announcements = new ArrayList<>();
    /** The goals the supervisor told its owner it retired for. */
    final List<Goal> retiredFor = new java.util.concurrent.CopyOnWriteArrayList<>();

    SupervisorHarness(Unit unit, Path tmp) {
        runDir = tmp.resolve("run").resolve(unit.name());
        logFile = tmp.resolve(unit.name() + ".log");
        SupervisorContext ctx = new SupervisorContext(reactor, (int) ProcessHandle.current().pid(),
                System.getenv(), runDir, Optional.of(logFile), ZoneId.systemDefault());
        supervisor = reactor.call(() -> {
            Supervisor s = new Supervisor(unit, ctx, (retiree, goal) -> retiredFor.add(goal));
            s.addListener(this);
            return s;
        });
    }

    <T> T call(Supplier<T> action) {
        return reactor.call(action::get);
    }

    void run(Runnable action) {
        reactor.call(() -> {
            action.run();
            return null;
        });
    }

    UnitStatus status() {
        return call(supervisor::status);
    }

    UnitStatus awaitState(State state) {
        Eventually.await("state " + state + " (now " + status().state() + ")", WAIT, () -> status().state() == state);
        return status();
    }

    UnitStatus stop() throws Exception {
        return call(() -> supervisor.stop("test")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    String awaitOutput(String text) {
        Eventually.await("output containing '" + text + "', got: " + output(), WAIT, () -> output().contains(text));
        return output();
    }

    synchronized String output() {
        return output.toString(StandardCharsets.UTF_8).replace("\r", "");
    }

    synchronized List<String> announcements() {
        return List.copyOf(announcements);
    }

    @Override
    public synchronized void output(byte[] buf, int off, int len) {
        output.write(buf, off, len);
    }

    @Override
    public synchronized void announce(List<String> lines) {
        announcements.addAll(lines);
    }

    @Override
    public void close() throws Exception {
        call(() -> supervisor.retire(Goal.REMOVE, "test")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reactor.close();
    }
}
