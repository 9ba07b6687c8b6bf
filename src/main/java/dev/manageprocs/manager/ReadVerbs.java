package dev.manageprocs.manager;

import dev.manageprocs.control.ConserverConfig;
import dev.manageprocs.control.ListReport;
import dev.manageprocs.control.ListRow;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.StatusReport;
import dev.manageprocs.control.UnitRow;
import dev.manageprocs.control.VerbOption;
import dev.manageprocs.supervisor.State;
import dev.manageprocs.supervisor.UnitStatus;
import dev.manageprocs.unit.UnitToml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The verbs that only read: status, list, show and write-procs-cf. Nothing here is audited. */
final class ReadVerbs {
    private final Manager manager;
    private final StatusReport statusReport = new StatusReport();

    ReadVerbs(Manager manager) {
        this.manager = manager;
    }

    Response status(Request request) {
        List<String> patterns = request.args();
        record Result(List<UnitRow> rows, List<String> unmatched) {
        }
        Result r = manager.reactor().call(() -> {
            List<LoadedUnit> units = patterns.isEmpty() ? List.copyOf(manager.all()) : manager.matching(patterns);
            return new Result(units.stream().map(ReadVerbs::row).toList(),
                    patterns.isEmpty() ? List.of() : manager.unmatched(patterns));
        });
        if (!r.unmatched().isEmpty() && r.rows().isEmpty()) {
            return ManagerCommands.noSuchUnit(r.unmatched());
        }
        String out = request.flag(VerbOption.JSON) ? statusReport.json(r.rows()) : statusReport.table(r.rows());
        String err = r.unmatched().isEmpty() ? "" : ManagerCommands.noSuchUnit(r.unmatched()).err();
        boolean allRunning = r.rows().stream().allMatch(row -> row.status().state() == State.RUNNING);
        int code = !r.unmatched().isEmpty() ? Response.NO_SUCH_UNIT
                : !patterns.isEmpty() && !allRunning ? Response.NOT_RUNNING : Response.OK;
        return new Response(code, out, err);
    }

    private static UnitRow row(LoadedUnit lu) {
        List<String> endpoints = lu.console.controlAddresses();
        return new UnitRow(lu.supervisor.status(), endpoints.isEmpty() ? "-" : endpoints.get(0),
                lu.pending().isPresent());
    }

    Response list(Request request) {
        List<ListRow> rows = new ArrayList<>(manager.reactor().call(() -> manager.all().stream()
                .map(lu -> new ListRow(lu.name(), lu.supervisor.status().state().name(), lu.unit().file().toString(),
                        lu.pending().isPresent() ? "changed (restart to apply)" : ""))
                .toList()));
        if (request.flag(VerbOption.ALL)) {
            for (Skipped s : manager.skipped()) {
                rows.add(new ListRow(s.name(), s.kind() == Skipped.Kind.OTHER_HOST ? "excluded" : "broken",
                        s.file().toString(), s.why()));
            }
        }
        return Response.ok(request.flag(VerbOption.JSON) ? ListReport.json(rows) : ListReport.table(rows));
    }

    Response show(Request request) {
        if (request.args().size() != 1) {
            return Response.error(Response.USAGE, "show takes exactly one unit name");
        }
        String name = request.args().get(0);
        return manager.reactor().call(() -> manager.get(name).map(lu -> {
            UnitStatus s = lu.supervisor.status();
            StringBuilder b = new StringBuilder(UnitToml.render(lu.unit()));
            b.append("\n# runtime\n# state: ").append(s.state());
            s.pid().ifPresent(pid -> b.append("\n# pid: ").append(pid));
            b.append("\n# since: ").append(s.since().map(Object::toString).orElse("-"));
            b.append("\n# restarts: ").append(s.restarts());
            b.append("\n# last exit: ").append(s.lastExit().map(e -> e.describe()).orElse("-"));
            b.append("\n# auto restart: ").append(s.restartMode().key());
            s.problem().ifPresent(p -> b.append("\n# problem: ").append(p));
            lu.console.controlAddresses().forEach(e -> b.append("\n# console: ").append(e));
            lu.console.logAddresses().forEach(e -> b.append("\n# read-only console: ").append(e));
            lu.pending().ifPresent(p -> b.append("\n# ").append(p.unit().file())
                    .append(" changed on disk (restart to apply)"));
            return Response.ok(b.append('\n').toString());
        }).orElseGet(() -> ManagerCommands.noSuchUnit(List.of(name))));
    }

    Response writeProcsCf() {
        List<ConserverConfig.Entry> entries = manager.reactor().call(() -> manager.all().stream()
                .map(ReadVerbs::conserverEntry).flatMap(Optional::stream).toList());
        return Response.ok(ConserverConfig.render(entries));
    }

    private static Optional<ConserverConfig.Entry> conserverEntry(LoadedUnit lu) {
        for (String e : lu.console.controlAddresses()) {
            if (e.startsWith("unix:/")) {
                return Optional.of(new ConserverConfig.Uds(lu.name(), Path.of(e.substring(5))));
            }
        }
        for (String e : lu.console.controlAddresses()) {
            if (e.startsWith("tcp:")) {
                int colon = e.lastIndexOf(':');
                return Optional.of(new ConserverConfig.Tcp(lu.name(), e.substring(4, colon),
                        Integer.parseInt(e.substring(colon + 1))));
            }
        }
        return Optional.empty();
    }
}
