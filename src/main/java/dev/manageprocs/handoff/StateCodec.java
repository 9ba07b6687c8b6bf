package dev.manageprocs.handoff;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.console.ConsoleSnapshot;
import dev.manageprocs.supervisor.Goal;
import dev.manageprocs.supervisor.State;
import dev.manageprocs.supervisor.SupervisorSnapshot;
import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ParseResult;
import dev.manageprocs.unit.RestartMode;
import dev.manageprocs.unit.Signal;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The handoff state as bytes: a magic line, a format number, then the fields in a fixed order. Binary and
 * explicit rather than Java serialization, so a newer manager can read an older one's state: a reader
 * knows every format from {@link #OLDEST_READ} to {@link #FORMAT} and refuses others with a sentence
 * that names both. Any change to what is written makes a new format number.
 */
public final class StateCodec {
    private static final byte[] MAGIC = "manage-procs handoff state\n".getBytes(StandardCharsets.US_ASCII);
    /** The format this code writes. */
    public static final int FORMAT = 1;
    /** The oldest format this code still reads (the previous release's, at least). */
    public static final int OLDEST_READ = 1;

    /** Turns a unit file's text back into the unit, with the manager configuration of the state. */
    @FunctionalInterface
    public interface UnitParsing {
        ParseResult parse(Path file, String text);
    }

    /** The state cannot be read: the message says why, in one sentence. */
    public static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unreadable(String message) {
            super(message);
        }
    }

    private StateCodec() {
    }

    public static void write(HandoffState s, OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.write(MAGIC);
        d.writeInt(FORMAT);
        text(d, s.fromVersion());
        d.writeInt(s.generation());
        text(d, s.requestedBy());
        d.writeLong(s.frozenNanos());
        HandoffState.Config c = s.config();
        text(d, c.mode().name());
        optionalText(d, c.file().map(Path::toString));
        optionalText(d, c.text());
        d.writeInt(c.unitDirs().size());
        for (Path p : c.unitDirs()) {
            text(d, p.toString());
        }
        d.writeInt(s.units().size());
        for (HandoffState.UnitState u : s.units()) {
            unitFile(d, u.loaded());
            supervisor(d, u.supervisor());
            console(d, u.console());
        }
        d.flush();
    }

    /**
     * Reads a state; {@code parsing} gets the manager configuration first and gives what turns each unit's
     * text back into its unit.
     */
    public static HandoffState read(InputStream in, Function<HandoffState.Config, UnitParsing> parsing)
            throws Unreadable {
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                Thread.ofPlatform().daemon().name("handoff-parse-", 0).factory());
        try {
            return read(new DataInputStream(in), parsing, pool);
        } finally {
            pool.shutdownNow();
        }
    }

    private static HandoffState read(DataInputStream d, Function<HandoffState.Config, UnitParsing> parsing,
            ExecutorService pool) throws Unreadable {
        try {
            byte[] magic = d.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new Unreadable("it is not a manage-procs handoff state");
            }
            int format = d.readInt();
            if (format < OLDEST_READ || format > FORMAT) {
                throw new Unreadable("it is in format " + format + ", and this version reads formats " + OLDEST_READ
                        + " to " + FORMAT + " only");
            }
            String fromVersion = text(d);
            int generation = d.readInt();
            String requestedBy = text(d);
            long frozen = d.readLong();
            Layout.Mode mode = Layout.Mode.valueOf(text(d));
            Optional<Path> file = optionalText(d).map(Path::of);
            Optional<String> configText = optionalText(d);
            List<Path> dirs = new ArrayList<>();
            for (int i = d.readInt(); i > 0; i--) {
                dirs.add(Path.of(text(d)));
            }
            HandoffState.Config config = new HandoffState.Config(mode, file, configText, dirs);
            UnitParsing parser = parsing.apply(config);
            // the unit texts are parsed on every core while the rest is read: in a re-exec this is the gap
            List<Supplier<HandoffState.UnitState>> later = new ArrayList<>();
            for (int i = d.readInt(); i > 0; i--) {
                CompletableFuture<ParseResult.Ok> loaded = unitFile(d, parser, pool);
                Supplier<SupervisorSnapshot> supervisor = supervisor(d, parser, pool);
                ConsoleSnapshot console = console(d);
                later.add(() -> new HandoffState.UnitState(loaded.join(), supervisor.get(), console));
            }
            List<HandoffState.UnitState> units = new ArrayList<>();
            for (Supplier<HandoffState.UnitState> u : later) {
                units.add(u.get());
            }
            return new HandoffState(fromVersion, generation, requestedBy, frozen, config, units);
        } catch (CompletionException e) {
            throw new Unreadable(e.getCause() instanceof NoLongerParses n ? n.getMessage()
                    : "a unit in it cannot be parsed (" + e.getCause() + ")");
        } catch (EOFException e) {
            throw new Unreadable("it ends too early (cut short)");
        } catch (IOException | IllegalArgumentException e) {
            throw new Unreadable("it is damaged (" + e.getMessage() + ")");
        }
    }

    // ---- units ----

    private static void unitFile(DataOutputStream d, ParseResult.Ok ok) throws IOException {
        text(d, ok.unit().file().toString());
        text(d, ok.text());
    }

    /** A unit text that does not parse, carried out of the parsing pool to {@link #read}. */
    private static final class NoLongerParses extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoLongerParses(String message) {
            super(message, null, false, false);
        }
    }

    private static CompletableFuture<ParseResult.Ok> unitFile(DataInputStream d, UnitParsing parser, ExecutorService pool)
            throws IOException {
        Path file = Path.of(text(d));
        String text = text(d);
        return CompletableFuture.supplyAsync(() -> switch (parser.parse(file, text)) {
            case ParseResult.Ok ok -> ok;
            case ParseResult.Failed f -> throw new NoLongerParses("unit file " + file + " as loaded no longer parses ("
                    + f.diagnostics().get(0) + ")");
        }, pool);
    }

    private static void supervisor(DataOutputStream d, SupervisorSnapshot s) throws IOException {
        text(d, s.state().name());
        switch (s.goal()) {
            case Goal.Run r -> d.writeByte('R');
            case Goal.Stop st -> d.writeByte('S');
            case Goal.Remove rm -> d.writeByte('X');
            case Goal.Replace rp -> {
                d.writeByte('P');
                unitFile(d, rp.next());
            }
        }
        text(d, s.mode().name());
        d.writeLong(s.since().getEpochSecond());
        d.writeInt(s.since().getNano());
        d.writeInt(s.restarts());
        d.writeBoolean(s.lastExit().isPresent());
        if (s.lastExit().isPresent()) {
            ExitStatus e = s.lastExit().get();
            d.writeInt(e.code());
            d.writeInt(e.signal().map(Signal::number).orElse(0));
            d.writeBoolean(e.coreDumped());
        }
        optionalText(d, s.problem());
        d.writeBoolean(s.timerDue().isPresent());
        d.writeLong(s.timerDue().orElse(0));
        d.writeInt(s.restartTimes().size());
        for (long t : s.restartTimes()) {
            d.writeLong(t);
        }
        d.writeInt(s.rows());
        d.writeInt(s.cols());
        d.writeBoolean(s.child().isPresent());
        if (s.child().isPresent()) {
            SupervisorSnapshot.Running c = s.child().get();
            d.writeInt(c.pid());
            d.writeInt(c.masterFd());
            d.writeInt(c.pidFd());
            text(d, c.ttyName());
            d.writeLong(c.startTime());
            d.writeLong(c.startedNanos());
            bytes(d, c.pty().pendingInput());
            d.writeBoolean(c.pty().inputDropping());
            d.writeBoolean(c.pty().watched());
        }
        d.writeBoolean(s.log().isPresent());
        if (s.log().isPresent()) {
            d.writeBoolean(s.log().get().atLineStart());
            d.writeBoolean(s.log().get().stampAtLineStart());
        }
    }

    private static Supplier<SupervisorSnapshot> supervisor(DataInputStream d, UnitParsing parser, ExecutorService pool)
            throws IOException {
        State state = State.valueOf(text(d));
        int goalTag = d.readByte();
        Supplier<Goal> goal = switch (goalTag) {
            case 'R' -> () -> Goal.RUN;
            case 'S' -> () -> Goal.STOP;
            case 'X' -> () -> Goal.REMOVE;
            case 'P' -> {
                CompletableFuture<ParseResult.Ok> next = unitFile(d, parser, pool);
                yield () -> new Goal.Replace(next.join());
            }
            default -> throw new IOException("unknown goal tag " + goalTag);
        };
        RestartMode mode = RestartMode.valueOf(text(d));
        Instant since = Instant.ofEpochSecond(d.readLong(), d.readInt());
        int restarts = d.readInt();
        Optional<ExitStatus> lastExit = Optional.empty();
        if (d.readBoolean()) {
            int code = d.readInt();
            int signal = d.readInt();
            boolean core = d.readBoolean();
            lastExit = Optional.of(signal == 0 ? ExitStatus.exited(code) : ExitStatus.killed(Signal.of(signal), core));
        }
        Optional<String> problem = optionalText(d);
        boolean timer = d.readBoolean();
        long due = d.readLong();
        List<Long> times = new ArrayList<>();
        for (int i = d.readInt(); i > 0; i--) {
            times.add(d.readLong());
        }
        int rows = d.readInt();
        int cols = d.readInt();
        Optional<SupervisorSnapshot.Running> child = Optional.empty();
        if (d.readBoolean()) {
            int pid = d.readInt();
            int master = d.readInt();
            int pidFd = d.readInt();
            String tty = text(d);
            long startTime = d.readLong();
            long startedNanos = d.readLong();
            byte[] pending = bytes(d);
            boolean dropping = d.readBoolean();
            boolean watched = d.readBoolean();
            child = Optional.of(new SupervisorSnapshot.Running(pid, master, pidFd, tty, startTime, startedNanos,
                    new SupervisorSnapshot.Pty(pending, dropping, watched)));
        }
        Optional<SupervisorSnapshot.Log> log = d.readBoolean()
                ? Optional.of(new SupervisorSnapshot.Log(d.readBoolean(), d.readBoolean())) : Optional.empty();
        Optional<ExitStatus> exit = lastExit;
        Optional<SupervisorSnapshot.Running> running = child;
        return () -> new SupervisorSnapshot(state, goal.get(), mode, since, restarts, exit, problem,
                timer ? OptionalLong.of(due) : OptionalLong.empty(), times, rows, cols, running, log);
    }

    private static void console(DataOutputStream d, ConsoleSnapshot c) throws IOException {
        d.writeInt(c.listeners().size());
        for (ConsoleSnapshot.Bound b : c.listeners()) {
            d.writeBoolean(b.readOnly());
            d.writeInt(b.fd());
            text(d, b.address());
            d.writeBoolean(b.unix());
            optionalText(d, b.socketFile().map(Path::toString));
        }
        d.writeBoolean(c.history().isPresent());
        if (c.history().isPresent()) {
            bytes(d, c.history().get().bytes());
            d.writeBoolean(c.history().get().overwritten());
        }
        d.writeBoolean(c.atLineStart());
        d.writeInt(c.clients().size());
        for (ConsoleSnapshot.Connection k : c.clients()) {
            d.writeInt(k.fd());
            text(d, k.who());
            d.writeBoolean(k.readOnly());
            bytes(d, k.queued());
            d.writeLong(k.dropped());
        }
    }

    private static ConsoleSnapshot console(DataInputStream d) throws IOException {
        List<ConsoleSnapshot.Bound> listeners = new ArrayList<>();
        for (int i = d.readInt(); i > 0; i--) {
            listeners.add(new ConsoleSnapshot.Bound(d.readBoolean(), d.readInt(), text(d), d.readBoolean(),
                    optionalText(d).map(Path::of)));
        }
        Optional<ConsoleSnapshot.History> history = d.readBoolean()
                ? Optional.of(new ConsoleSnapshot.History(bytes(d), d.readBoolean())) : Optional.empty();
        boolean atLineStart = d.readBoolean();
        List<ConsoleSnapshot.Connection> clients = new ArrayList<>();
        for (int i = d.readInt(); i > 0; i--) {
            clients.add(new ConsoleSnapshot.Connection(d.readInt(), text(d), d.readBoolean(), bytes(d), d.readLong()));
        }
        return new ConsoleSnapshot(listeners, history, atLineStart, clients);
    }

    // ---- primitives: lengths before contents, UTF-8 text ----

    private static void bytes(DataOutputStream d, byte[] b) throws IOException {
        d.writeInt(b.length);
        d.write(b);
    }

    private static byte[] bytes(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0) {
            throw new IOException("negative length " + n);
        }
        byte[] b = d.readNBytes(n);
        if (b.length != n) {
            throw new EOFException();
        }
        return b;
    }

    private static void text(DataOutputStream d, String s) throws IOException {
        bytes(d, s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(DataInputStream d) throws IOException {
        return new String(bytes(d), StandardCharsets.UTF_8);
    }

    private static void optionalText(DataOutputStream d, Optional<String> s) throws IOException {
        d.writeBoolean(s.isPresent());
        if (s.isPresent()) {
            text(d, s.get());
        }
    }

    private static Optional<String> optionalText(DataInputStream d) throws IOException {
        return d.readBoolean() ? Optional.of(text(d)) : Optional.empty();
    }
}
