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
    private final List<State> states = new ArrayList<>();

    SupervisorHarness(Unit unit, Path tmp) {
        runDir = tmp.resolve("run").resolve(unit.name());
        logFile = tmp.resolve(unit.name() + ".log");
        SupervisorContext ctx = new SupervisorContext(reactor, new LoopBuffers(), (int) ProcessHandle.current().pid(),
                System.getenv(), runDir, Optional.of(logFile), ZoneId.systemDefault());
        supervisor = reactor.call(() -> {
            Supervisor s = new Supervisor(unit, ctx);
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

    synchronized List<State> states() {
        return List.copyOf(states);
    }

    @Override
    public synchronized void output(byte[] buf, int off, int len) {
        output.write(buf, off, len);
    }

    @Override
    public synchronized void announce(String line) {
        announcements.add(line);
    }

    @Override
    public synchronized void stateChanged(UnitStatus status) {
        states.add(status.state());
    }

    @Override
    public void close() throws Exception {
        call(() -> supervisor.unload("test")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        reactor.close();
    }
}
