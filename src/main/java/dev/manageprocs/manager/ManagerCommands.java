package dev.manageprocs.manager;

import dev.manageprocs.control.ControlHandler;
import dev.manageprocs.access.Peer;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.StreamSession;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The control-socket verbs (docs/control-protocol.md) on top of the {@link Manager}: each request's verb
 * is looked up in the {@link Verb} table, options the verb does not take are refused, and the verb goes to
 * the class of its concern. Runs on a virtual thread per request; registry work hops onto the event loop.
 * Every request that changes something is audited with the peer's name and uid.
 */
public final class ManagerCommands implements ControlHandler {
    private final ReadVerbs reads;
    private final LifecycleVerbs lifecycle;
    private final UnitFileVerbs unitFiles;
    private final ConsoleRelay relay;
    private final LogStreams logs;
    private final Function<String, Response> reexec;

    /** @param reexec serves daemon-reexec for the peer it is given (the daemon's {@link Reexec}) */
    public ManagerCommands(Manager manager, Function<String, Response> reexec) {
        this.reexec = reexec;
        this.reads = new ReadVerbs(manager);
        this.lifecycle = new LifecycleVerbs(manager);
        this.unitFiles = new UnitFileVerbs(manager);
        this.relay = new ConsoleRelay(manager);
        this.logs = new LogStreams(manager);
    }

    /** How a verb is served: with one reply, or with a stream (the server asks {@link #streams} which). */
    private sealed interface Binding permits Reply, Stream {
    }

    @FunctionalInterface
    private non-sealed interface Reply extends Binding {
        Response to(Request request, String who);
    }

    @FunctionalInterface
    private non-sealed interface Stream extends Binding {
        void serve(Request request, Peer peer, StreamSession session) throws IOException;
    }

    /** Every verb's handler: a verb added to the table does not compile until it has one here. */
    private Binding binding(Verb verb) {
        return switch (verb) {
            case STATUS -> (Reply) (request, who) -> reads.status(request);
            case LIST -> (Reply) (request, who) -> reads.list(request);
            case SHOW -> (Reply) (request, who) -> reads.show(request);
            case WRITE_PROCS_CF -> (Reply) (request, who) -> reads.writeProcsCf();
            case START, STOP, RESTART -> (Reply) (request, who) -> lifecycle.startStopRestart(verb, request, who);
            case KILL -> (Reply) lifecycle::kill;
            case REOPEN_LOGS -> (Reply) (request, who) -> lifecycle.reopenLogs(who);
            case ADD -> (Reply) unitFiles::add;
            case REMOVE -> (Reply) unitFiles::remove;
            case RELOAD -> (Reply) unitFiles::reload;
            case ATTACH -> (Stream) relay::attach;
            case LOGS -> (Stream) (request, peer, session) -> logs.logs(request, session);
            // ControlServer answers ping before any handler sees it
            case DAEMON_REEXEC -> (Reply) (request, who) -> reexec.apply(who);
            case PING -> (Reply) (request, who) -> unknownRequest(request);
        };
    }

    @Override
    public boolean streams(String verb) {
        return Verb.of(verb).map(Verb::streams).orElse(false);
    }

    @Override
    public void stream(Request request, Peer peer, StreamSession session) throws IOException {
        Optional<Verb> verb = Verb.of(request.verb());
        Optional<Response> refused = verb.isEmpty() ? Optional.of(unknownRequest(request)) : unknownOption(verb.get(), request);
        if (refused.isPresent()) {
            session.finish(refused.get());
            return;
        }
        switch (binding(verb.get())) {
            case Stream s -> s.serve(request, peer, session);
            case Reply r -> session.finish(r.to(request, peer.describe()));
        }
    }

    @Override
    public Response handle(Request request, Peer peer) {
        Optional<Verb> verb = Verb.of(request.verb());
        if (verb.isEmpty()) {
            return unknownRequest(request);
        }
        Optional<Response> refused = unknownOption(verb.get(), request);
        if (refused.isPresent()) {
            return refused.get();
        }
        return switch (binding(verb.get())) {
            case Reply r -> r.to(request, peer.describe());
            // the server streams these (see streams()); asked for one reply, say what an older manager says
            case Stream s -> unknownRequest(request);
        };
    }

    private static Response unknownRequest(Request request) {
        return Response.error(Response.USAGE, "unknown request '" + request.verb()
                + "'; this manager speaks control protocol 1 (is the client newer than the manager?)");
    }

    /**
     * An option the verb does not take is refused before anything happens: a misspelt "dry-run" must
     * not turn a dry run into a removal.
     */
    private static Optional<Response> unknownOption(Verb verb, Request request) {
        for (String option : request.options().keySet()) {
            if (verb.option(option) == null) {
                // the per-file option is the client's own, not one a user could have meant
                String known = verb.options().stream().filter(o -> !o.perFile()).map(VerbOption::wire).sorted()
                        .collect(Collectors.joining(", "));
                return Optional.of(Response.error(Response.USAGE, "'" + verb.wire() + "' has no option '" + option
                        + "'; it takes " + (known.isEmpty() ? "none" : known)
                        + " (is the client newer than the manager?)"));
            }
        }
        return Optional.empty();
    }

    static Response noSuchUnit(List<String> names) {
        return Response.error(Response.NO_SUCH_UNIT, (names.size() == 1 ? "no unit matches '" + names.get(0) + "'"
                : "no unit matches " + names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", ")))
                + "; 'manage-procs list --all' shows every unit the manager knows");
    }
}
