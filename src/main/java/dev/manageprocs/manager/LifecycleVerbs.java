package dev.manageprocs.manager;

import dev.manageprocs.access.Audit;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import dev.manageprocs.supervisor.State;
import dev.manageprocs.supervisor.UnitStatus;
import dev.manageprocs.unit.Signal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The verbs that change what runs: start, stop, restart, kill and reopen-logs. */
final class LifecycleVerbs {
    private final Manager manager;

    LifecycleVerbs(Manager manager) {
        this.manager = manager;
    }

    /** start, stop or restart, on glob patterns or --all. */
    Response startStopRestart(Verb verb, Request request, String who) {
        boolean all = request.flag(VerbOption.ALL);
        if (all == !request.args().isEmpty()) {
            return Response.error(Response.USAGE, verb.wire() + " takes unit names or patterns, or --all (not both)");
        }
        List<String> patterns = all ? List.of("*") : request.args();
        Audit.LOG.info("{} {} requested by {}", verb.wire(), String.join(" ", patterns), who);
        record Started(Map<LoadedUnit, CompletableFuture<UnitStatus>> results, List<String> unmatched) {
        }
        Started s = manager.reactor().call(() -> {
            List<String> unmatched = all ? List.of() : manager.unmatched(patterns);
            Map<LoadedUnit, CompletableFuture<UnitStatus>> results = new LinkedHashMap<>();
            for (LoadedUnit lu : manager.matching(patterns)) {
                results.put(lu, switch (verb) {
                    case START -> manager.start(lu, who);
                    case STOP -> lu.supervisor.stop(who);
                    default -> manager.restart(lu, who);
                });
            }
            return new Started(results, unmatched);
        });
        SettleDeadline deadline = SettleDeadline.forUnits(s.results().keySet());
        if (s.results().isEmpty() && !all) {
            return ManagerCommands.noSuchUnit(s.unmatched());
        }
        StringBuilder out = new StringBuilder();
        boolean failed = false;
        for (var e : s.results().entrySet()) {
            String name = e.getKey().name();
            Optional<UnitStatus> settled = deadline.await(e.getValue());
            if (settled.isEmpty()) {
                failed = true;
                out.append(deadline.unsettled(name, manager.reactor().call(e.getKey().supervisor::status))).append('\n');
                continue;
            }
            UnitStatus st = settled.get();
            boolean ok = verb == Verb.STOP ? st.state() == State.STOPPED
                    : st.state() == State.RUNNING || st.state() == State.BACKOFF;
            failed |= !ok;
            out.append(name).append(": ").append(st.state().name());
            st.pid().ifPresent(pid -> out.append(" (pid ").append(pid).append(')'));
            if (!ok) {
                st.problem().ifPresent(p -> out.append(": ").append(p));
            }
            out.append('\n');
        }
        String err = s.unmatched().isEmpty() ? "" : ManagerCommands.noSuchUnit(s.unmatched()).err();
        int code = failed ? Response.FAILED : s.unmatched().isEmpty() ? Response.OK : Response.NO_SUCH_UNIT;
        return new Response(code, out.toString(), err);
    }

    Response kill(Request request, String who) {
        if (request.args().size() != 1) {
            return Response.error(Response.USAGE, "kill takes exactly one unit name");
        }
        String name = request.args().get(0);
        String signal = request.options().get(VerbOption.SIGNAL.wire());
        Optional<Signal> requested = Optional.ofNullable(signal).flatMap(Signal::parse);
        if (signal != null && requested.isEmpty()) {
            return Response.error(Response.USAGE, "'" + signal + "' is not a signal; use a name like TERM or a number");
        }
        return manager.reactor().call(() -> manager.get(name).map(lu -> {
            Signal sig = requested.orElse(lu.unit().process().killSignal());
            if (!lu.supervisor.kill(sig, who)) {
                return Response.error(Response.FAILED, "unit " + name + " has no running child to signal; "
                        + "start it with 'manage-procs start " + name + "'");
            }
            return Response.ok("sent " + sig + " to the process group of " + name + "\n");
        }).orElseGet(() -> ManagerCommands.noSuchUnit(List.of(name))));
    }

    Response reopenLogs(String who) {
        return Response.ok("reopened the console logs of " + manager.reopenLogs(who) + " units\n");
    }
}
