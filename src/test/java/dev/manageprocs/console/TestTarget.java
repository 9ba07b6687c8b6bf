package dev.manageprocs.console;

import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.supervisor.ConsoleTarget;
import dev.manageprocs.supervisor.OutputListener;
import dev.manageprocs.supervisor.Goal;
import dev.manageprocs.supervisor.State;
import dev.manageprocs.supervisor.UnitStatus;
import dev.manageprocs.unit.ConsoleSpec;
import dev.manageprocs.unit.RestartMode;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the supervisor: records the child's input and the keys, optionally echoes input
 * back as output (as a terminal with ECHO on does), and lets a test push output, announcements and
 * state changes to the listeners, on the loop thread as the real one does.
 */
final class TestTarget implements ConsoleTarget {
    private final Reactor reactor;
    private final ConsoleSpec spec;
    private final boolean echo;
    private final List<OutputListener> listeners = new ArrayList<>();
    private final ByteArrayOutputStream input = new ByteArrayOutputStream();
    private final List<String> whos = new ArrayList<>();
    private volatile UnitStatus status;
    final AtomicInteger kills = new AtomicInteger();
    final AtomicInteger toggles = new AtomicInteger();
    final AtomicInteger restarts = new AtomicInteger();
    final AtomicInteger quits = new AtomicInteger();
    /** The last window size a client reported: "ROWSxCOLS", or null. */
    volatile String windowSize;

    TestTarget(Reactor reactor, ConsoleSpec spec, boolean echo) {
        this.reactor = reactor;
        this.spec = spec;
        this.echo = echo;
        this.status = new UnitStatus("ioc1", State.RUNNING, Goal.RUN, OptionalInt.of(4242), Optional.of(Instant.now()), 0,
                Optional.empty(), RestartMode.ALWAYS, Optional.empty());
    }

    @Override
    public String unitName() {
        return "ioc1";
    }

    @Override
    public ConsoleSpec consoleSpec() {
        return spec;
    }

    @Override
    public UnitStatus status() {
        return status;
    }

    @Override
    public void input(byte[] buf, int off, int len) {
        synchronized (input) {
            input.write(buf, off, len);
        }
        if (echo) {
            byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
            listeners.forEach(l -> l.output(copy, 0, copy.length));
        }
    }

    @Override
    public void killKey(String who) {
        record(who);
        kills.incrementAndGet();
    }

    @Override
    public void toggleKey(String who) {
        record(who);
        UnitStatus s = status;
        status = new UnitStatus(s.name(), s.state(), s.goal(), s.pid(), s.since(), s.restarts(), s.lastExit(),
                s.restartMode() == RestartMode.NEVER ? RestartMode.ALWAYS : RestartMode.NEVER, s.problem());
        toggles.incrementAndGet();
        // as the supervisor does: the outcome goes to every consumer of the console
        String line = "@@@ Toggled auto restart to " + (status.restartMode() == RestartMode.NEVER ? "OFF" : "ON");
        listeners.forEach(l -> l.announce(List.of(line)));
    }

    @Override
    public void restartKey(String who) {
        record(who);
        restarts.incrementAndGet();
    }

    @Override
    public void quitKey(String who) {
        record(who);
        quits.incrementAndGet();
    }

    @Override
    public void resize(int rows, int cols) {
        windowSize = rows + "x" + cols;
    }

    @Override
    public void addListener(OutputListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(OutputListener listener) {
        listeners.remove(listener);
    }

    byte[] input() {
        synchronized (input) {
            return input.toByteArray();
        }
    }

    int inputSize() {
        synchronized (input) {
            return input.size();
        }
    }

    List<String> whos() {
        synchronized (whos) {
            return List.copyOf(whos);
        }
    }

    int listenerCount() {
        return reactor.call(listeners::size);
    }

    /** Child output, delivered on the loop thread. */
    void push(byte[] bytes) {
        reactor.execute(() -> listeners.forEach(l -> l.output(bytes, 0, bytes.length)));
    }

    void push(String text) {
        push(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    void announce(String line) {
        reactor.execute(() -> listeners.forEach(l -> l.announce(List.of(line))));
    }

    void changeState(UnitStatus next) {
        reactor.execute(() -> {
            status = next;
        });
    }

    private void record(String who) {
        synchronized (whos) {
            whos.add(who);
        }
    }
}
