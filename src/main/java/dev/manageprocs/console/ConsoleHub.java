package dev.manageprocs.console;

import dev.manageprocs.posix.LibC;
import dev.manageprocs.reactor.Reactor;
import dev.manageprocs.supervisor.Announcements;
import dev.manageprocs.supervisor.ConsoleTarget;
import dev.manageprocs.supervisor.OutputListener;
import dev.manageprocs.supervisor.UnitStatus;
import dev.manageprocs.unit.ConsoleSpec;
import dev.manageprocs.unit.Endpoint;
import dev.manageprocs.unit.KeyBindings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One unit's console, procServ's party line: every byte the child writes goes to every client and
 * into the history ring; a control client's input goes to the child, minus the keys (acted on) and
 * the {@code ignore} bytes; read-only clients' input is dropped. Lives on the event loop: create it
 * with {@link #open} on the loop thread and call everything else there too.
 *
 * <p>Input is not echoed to the other clients by the hub. procServ 2.7.0 does not do it either
 * (verified): the child's terminal echoes, and that echo is output every client sees. Echoing here
 * as well would show every typed character twice to the others, and would show them passwords
 * typed while the terminal's echo is off.
 */
public final class ConsoleHub implements OutputListener, AutoCloseable {
    /** Larger histories would make every client's connect burst (and queue) huge. */
    public static final long MAX_HISTORY = 64L * 1024 * 1024;
    /**
     * How far one client may fall behind, beyond the history it is sent on connect. A client that
     * reads as fast as it can still falls behind now and then (a GC pause, a busy CPU); at 1 MiB a
     * reader starved for 20 ms lost output in CI, and 64 KiB made one lose output every few megabytes.
     * Queues grow only while a client lags and are freed once it catches up.
     */
    private static final int CLIENT_LAG = 8 * 1024 * 1024;

    private final Reactor reactor;
    private final ConsoleTarget target;
    private final ConsoleSpec spec;
    private final HistoryRing history;
    private final int queueLimit;
    private final SendBudget budget;
    private final List<Listener> controlListeners = new ArrayList<>();
    private final List<Listener> logListeners = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();
    private boolean atLineStart = true;
    private boolean listening;
    private boolean closed;

    private ConsoleHub(Reactor reactor, ConsoleTarget target, Optional<ConsoleSnapshot.History> handedOver) {
        this.reactor = reactor;
        this.target = target;
        this.spec = target.consoleSpec();
        this.history = spec.historyBytes() <= 0 ? null : handedOver
                .map(h -> HistoryRing.restored((int) spec.historyBytes(), h))
                .orElseGet(() -> new HistoryRing((int) spec.historyBytes()));
        // the connect burst (banner + whole history) must fit, with room for live output behind it
        this.queueLimit = (int) (spec.historyBytes() + CLIENT_LAG);
        // one client stalled to its limit still leaves another as much room again; never more in all
        this.budget = new SendBudget(2L * queueLimit);
    }

    /**
     * Binds every endpoint of the target's console spec (listen = control, log_listen = read-only)
     * and starts listening to the target. Loop thread only. Throws an IOException with a one-sentence
     * message naming the endpoint when one cannot be bound; nothing is left open then.
     */
    public static ConsoleHub open(Reactor reactor, ConsoleTarget target, SocketDefaults defaults, ConsoleAccess access)
            throws IOException {
        ConsoleSpec spec = target.consoleSpec();
        if (spec.historyBytes() > MAX_HISTORY) {
            throw new IOException("the console history of unit " + target.unitName() + " is " + spec.historyBytes()
                    + " bytes, more than the " + MAX_HISTORY / (1024 * 1024) + " MiB supported; lower [console] history");
        }
        ConsoleHub hub = new ConsoleHub(reactor, target, Optional.empty());
        try {
            for (Endpoint e : spec.listen()) {
                hub.controlListeners.add(Listener.open(reactor, e, defaults.controlPath(), defaults, spec.allowRemote(),
                        target.unitName(), gate(spec, defaults, access, false), (fd, who) -> hub.accepted(fd, who, false)));
            }
            for (Endpoint e : spec.logListen()) {
                hub.logListeners.add(Listener.open(reactor, e, defaults.logPath(), defaults, spec.allowRemote(),
                        target.unitName(), gate(spec, defaults, access, true), (fd, who) -> hub.accepted(fd, who, true)));
            }
        } catch (IOException | RuntimeException e) {
            hub.close();
            throw e;
        }
        target.addListener(hub);
        hub.listening = true;
        return hub;
    }

    /**
     * The console a previous program of this process handed over in a live re-exec: the same listening
     * sockets and client connections (their fds stayed open), the same history. Loop thread only.
     */
    public static ConsoleHub resume(Reactor reactor, ConsoleTarget target, SocketDefaults defaults, ConsoleAccess access,
            ConsoleSnapshot snapshot) {
        ConsoleHub hub = new ConsoleHub(reactor, target, snapshot.history());
        for (ConsoleSnapshot.Bound b : snapshot.listeners()) {
            boolean readOnly = b.readOnly();
            Listener l = Listener.adopt(reactor, b, target.unitName(),
                    gate(target.consoleSpec(), defaults, access, readOnly), (fd, who) -> hub.accepted(fd, who, readOnly));
            (readOnly ? hub.logListeners : hub.controlListeners).add(l);
        }
        hub.atLineStart = snapshot.atLineStart();
        for (ConsoleSnapshot.Connection c : snapshot.clients()) {
            Client client = new Client(reactor, hub, c.fd(), c.who(), c.readOnly(), hub.queueLimit, hub.budget, true);
            hub.clients.add(client);
            client.resume(c);
        }
        target.addListener(hub);
        hub.listening = true;
        return hub;
    }

    /**
     * Who may stay on a TCP endpoint besides root and the manager's user: control_group, and for a
     * read-only endpoint also the unit's log_group.
     */
    private static ConsoleAccess.Gate gate(ConsoleSpec spec, SocketDefaults defaults, ConsoleAccess access,
            boolean readOnly) {
        List<String> groups = new ArrayList<>(defaults.group().stream().toList());
        if (readOnly) {
            spec.logGroup().ifPresent(groups::add);
        }
        return access.gate(groups);
    }

    /** This console for a live re-exec; the fds in it must stay open across the exec. */
    public ConsoleSnapshot snapshot() {
        List<ConsoleSnapshot.Bound> bound = new ArrayList<>();
        controlListeners.forEach(l -> bound.add(l.snapshot(false)));
        logListeners.forEach(l -> bound.add(l.snapshot(true)));
        return new ConsoleSnapshot(bound, Optional.ofNullable(history).map(HistoryRing::handover), atLineStart,
                clients.stream().filter(Client::survivesReexec).map(Client::snapshot).toList());
    }

    /** Control endpoints as bound ("tcp:127.0.0.1:20000", "unix:/run/…/control"), for the info file and CTL=. */
    public List<String> controlAddresses() {
        return controlListeners.stream().map(Listener::address).toList();
    }

    /** Read-only endpoints as bound, for the info file and LOG=. */
    public List<String> logAddresses() {
        return logListeners.stream().map(Listener::address).toList();
    }

    public int clientCount() {
        return clients.size();
    }

    /** Output queued for this unit's clients now, and the most they may queue together. */
    long queuedBytes() {
        return budget.used();
    }

    long queueBudget() {
        return budget.limit();
    }

    public long bufferedBytes() {
        return clients.stream().mapToLong(Client::buffered).sum();
    }

    @Override
    public void output(byte[] buf, int off, int len) {
        if (len <= 0 || closed) {
            return;
        }
        if (history != null) {
            history.append(buf, off, len);
        }
        atLineStart = buf[off + len - 1] == '\n';
        if (Telnet.needsEscape(buf, off, len)) {
            byte[] escaped = reactor.buffers().escapeBuffer(len);
            broadcast(escaped, 0, Telnet.escape(buf, off, len, escaped));
        } else {
            broadcast(buf, off, len);
        }
    }

    /** Server lines to everyone, each on a line of its own, in one send; they go into the history too. */
    @Override
    public void announce(List<String> lines) {
        if (closed) {
            return;
        }
        StringBuilder b = new StringBuilder(atLineStart ? "" : "\r\n");
        lines.forEach(l -> b.append(l).append("\r\n"));
        byte[] text = b.toString().getBytes(StandardCharsets.UTF_8);
        output(text, 0, text.length);
    }

    /** Closes every client and listener and removes the socket files this hub created. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (listening) {
            target.removeListener(this);
        }
        for (Client c : List.copyOf(clients)) {
            c.close();
        }
        controlListeners.forEach(Listener::close);
        logListeners.forEach(Listener::close);
    }

    /**
     * One end of a socket pair the manager made for {@code attach}, taken as a client like any other, named by the
     * control peer ({@code who}) the manager has already admitted. Loop thread only; the hub owns fd from now on.
     */
    public void adopt(int fd, String who, boolean readOnly) {
        accept(fd, who, readOnly, false);
    }

    void clientClosed(Client c) {
        clients.remove(c);
    }

    /** Input from a client, telnet already decoded: keys are acted on, the rest goes to the child. */
    void clientInput(Client c, byte[] buf, int off, int len) {
        if (c.readOnly() || closed) {
            return;
        }
        KeyBindings keys = spec.keys();
        int start = off;
        for (int i = off; i < off + len; i++) {
            int b = buf[i] & 0xff;
            boolean key = keys.kill().matches(b) || keys.toggle().matches(b) || keys.restart().matches(b)
                    || keys.quit().matches(b) || keys.logout().matches(b);
            if (!key && !spec.ignores(b)) {
                continue;
            }
            if (i > start) {
                target.input(buf, start, i - start);
            }
            start = i + 1;
            if (keys.logout().matches(b)) {
                c.close();
                return;
            } else if (keys.kill().matches(b)) {
                target.killKey(c.who());
            } else if (keys.toggle().matches(b)) {
                target.toggleKey(c.who());
            } else if (keys.restart().matches(b)) {
                target.restartKey(c.who());
            } else if (keys.quit().matches(b)) {
                target.quitKey(c.who());
            }
            if (c.closed() || closed) {
                return;
            }
        }
        if (off + len > start) {
            target.input(buf, start, off + len - start);
        }
    }

    /** A control client reported its window size (telnet NAWS): the child's terminal follows it. */
    void clientResized(Client c, int rows, int cols) {
        if (!c.readOnly() && !closed) {
            target.resize(rows, cols);
        }
    }

    private void accepted(int fd, String who, boolean readOnly) {
        accept(fd, who, readOnly, true);
    }

    private void accept(int fd, String who, boolean readOnly, boolean survivesReexec) {
        if (closed) {
            LibC.close(fd);
            return;
        }
        int users = (int) clients.stream().filter(x -> !x.readOnly()).count();
        int loggers = clients.size() - users;
        Client c = new Client(reactor, this, fd, who, readOnly, queueLimit, budget, survivesReexec);
        clients.add(c);
        if (spec.banner()) {
            UnitStatus s = target.status();
            sendLines(c, readOnly ? Announcements.readOnlyBanner(s)
                    : Announcements.controlBanner(s, spec.keys(), users, loggers));
        }
        c.send(Telnet.NEGOTIATION);
        if (history != null) {
            replay(c);
        }
    }

    /** The history, complete lines between markers; a trailing partial line (a prompt) after them. */
    private void replay(Client c) {
        byte[] h = history.snapshot();
        int lastNewline = h.length - 1;
        while (lastNewline >= 0 && h[lastNewline] != '\n') {
            lastNewline--;
        }
        int lines = lastNewline + 1;
        if (lines > 0) {
            sendLines(c, List.of(Announcements.historyStart(lines)));
            sendEscaped(c, h, 0, lines);
            sendLines(c, List.of(Announcements.historyEnd()));
        }
        sendEscaped(c, h, lines, h.length - lines);
    }

    private static void sendEscaped(Client c, byte[] b, int off, int len) {
        byte[] escaped = new byte[2 * len];
        c.send(escaped, 0, Telnet.escape(b, off, len, escaped));
    }

    private static void sendLines(Client c, List<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append("\r\n"));
        c.send(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void broadcast(byte[] b, int off, int len) {
        // backwards: a client that fails while we write to it removes itself from the list
        for (int i = clients.size() - 1; i >= 0; i--) {
            if (i < clients.size()) {
                clients.get(i).send(b, off, len);
            }
        }
    }
}
