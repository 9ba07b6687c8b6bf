package dev.manageprocs.manager;

import dev.manageprocs.control.ConserverConfig;
import dev.manageprocs.control.ControlHandler;
import dev.manageprocs.control.ListReport;
import dev.manageprocs.control.ListRow;
import dev.manageprocs.control.Peer;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.StatusReport;
import dev.manageprocs.control.StreamSession;
import dev.manageprocs.control.UnitRow;
import dev.manageprocs.supervisor.State;
import dev.manageprocs.supervisor.UnitStatus;
import dev.manageprocs.unit.ParseResult;
import dev.manageprocs.unit.Signal;
import dev.manageprocs.unit.Unit;
import dev.manageprocs.unit.UnitParser;
import dev.manageprocs.unit.UnitToml;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-socket verbs (docs/control-protocol.md) on top of the {@link Manager}. Runs on a
 * virtual thread per request; registry work hops onto the event loop. Every request that changes
 * something is logged with the peer's name and uid (the audit trail of DESIGN §8).
 */
public final class ManagerCommands implements ControlHandler {
    private static final Logger audit = LoggerFactory.getLogger("dev.manageprocs.audit");

    private final Manager manager;
    private final StatusReport statusReport = new StatusReport();
    private final ConsoleRelay relay;
    private final LogStreams logs;

    public ManagerCommands(Manager manager) {
        this.manager = manager;
        this.relay = new ConsoleRelay(manager);
        this.logs = new LogStreams(manager);
    }

    @Override
    public boolean streams(String verb) {
        return verb.equals("attach") || verb.equals("logs");
    }

    @Override
    public void stream(Request request, Peer peer, StreamSession session) throws IOException {
        Optional<Response> refused = unknownOption(request);
        if (refused.isPresent()) {
            session.finish(refused.get());
            return;
        }
        switch (request.verb()) {
            case "attach" -> relay.attach(request, peer, session);
            case "logs" -> logs.logs(request, session);
            default -> session.finish(handle(request, peer));
        }
    }

    @Override
    public Response handle(Request request, Peer peer) {
        Optional<Response> refused = unknownOption(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        String who = peer.describe();
        return switch (request.verb()) {
            case "status" -> status(request);
            case "list" -> list(request);
            case "show" -> show(request);
            case "start", "stop", "restart" -> lifecycle(request, who);
            case "kill" -> kill(request, who);
            case "add" -> add(request, who);
            case "remove" -> remove(request, who);
            case "reload" -> reload(request, who);
            case "write-procs-cf" -> procsCf();
            case "reopen-logs" -> Response.ok("reopened the console logs of " + manager.reopenLogs(who) + " units\n");
            default -> Response.error(Response.USAGE, "unknown request '" + request.verb()
                    + "'; this manager speaks control protocol 1 (is the client newer than the manager?)");
        };
    }

    /** The options each verb takes (docs/control-protocol.md); add also takes "origin.FILE". */
    private static final Map<String, Set<String>> OPTIONS = Map.ofEntries(
            Map.entry("status", Set.of("json")), Map.entry("list", Set.of("all", "json")), Map.entry("show", Set.of()),
            Map.entry("start", Set.of("all")), Map.entry("stop", Set.of("all")), Map.entry("restart", Set.of("all")),
            Map.entry("kill", Set.of("signal")), Map.entry("add", Set.of("now", "force")),
            Map.entry("remove", Set.of("dry-run")), Map.entry("reload", Set.of("restart-changed")),
            Map.entry("write-procs-cf", Set.of()), Map.entry("reopen-logs", Set.of()),
            Map.entry("attach", Set.of("read-only")), Map.entry("logs", Set.of("follow", "lines", "since")));

    /**
     * An option the verb does not know is refused before anything happens: a misspelt "dry-run" must
     * not turn a dry run into a removal. Unknown verbs are left to the dispatch (its own message).
     */
    private static Optional<Response> unknownOption(Request request) {
        Set<String> known = OPTIONS.get(request.verb());
        if (known == null) {
            return Optional.empty();
        }
        for (String option : request.options().keySet()) {
            boolean origin = request.verb().equals("add") && option.startsWith("origin.");
            if (!known.contains(option) && !origin) {
                return Optional.of(Response.error(Response.USAGE, "'" + request.verb() + "' has no option '" + option
                        + "'; it takes " + (known.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(known)))
                        + " (is the client newer than the manager?)"));
            }
        }
        return Optional.empty();
    }

    // ---- reading ----

    private Response status(Request request) {
        List<String> patterns = request.args();
        record Result(List<UnitRow> rows, List<String> unmatched) {
        }
        Result r = manager.reactor().call(() -> {
            List<LoadedUnit> units = patterns.isEmpty() ? List.copyOf(manager.all()) : manager.matching(patterns);
            return new Result(units.stream().map(ManagerCommands::row).toList(),
                    patterns.isEmpty() ? List.of() : manager.unmatched(patterns));
        });
        if (!r.unmatched().isEmpty() && r.rows().isEmpty()) {
            return noSuchUnit(r.unmatched());
        }
        String out = request.flag("json") ? statusReport.json(r.rows()) : statusReport.table(r.rows());
        String err = r.unmatched().isEmpty() ? "" : noSuchUnit(r.unmatched()).err();
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

    private Response list(Request request) {
        List<ListRow> rows = new ArrayList<>(manager.reactor().call(() -> manager.all().stream()
                .map(lu -> new ListRow(lu.name(), lu.supervisor.status().state().name(), lu.unit().file().toString(),
                        lu.pending().isPresent() ? "changed (restart to apply)" : ""))
                .toList()));
        if (request.flag("all")) {
            for (Skipped s : manager.skipped()) {
                rows.add(new ListRow(s.name(), s.kind() == Skipped.Kind.OTHER_HOST ? "excluded" : "broken",
                        s.file().toString(), s.why()));
            }
        }
        return Response.ok(request.flag("json") ? ListReport.json(rows) : ListReport.table(rows));
    }

    private Response show(Request request) {
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
        }).orElseGet(() -> noSuchUnit(List.of(name))));
    }

    private Response procsCf() {
        List<ConserverConfig.Entry> entries = manager.reactor().call(() -> manager.all().stream()
                .map(ManagerCommands::conserverEntry).flatMap(Optional::stream).toList());
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

    // ---- changing ----

    private Response lifecycle(Request request, String who) {
        String verb = request.verb();
        boolean all = request.flag("all");
        if (all == !request.args().isEmpty()) {
            return Response.error(Response.USAGE, verb + " takes unit names or patterns, or --all (not both)");
        }
        List<String> patterns = all ? List.of("*") : request.args();
        audit.info("{} {} requested by {}", verb, String.join(" ", patterns), who);
        record Started(Map<String, CompletableFuture<UnitStatus>> results, List<String> unmatched) {
        }
        Started s = manager.reactor().call(() -> {
            // before acting: applying a changed unit file replaces the unit, briefly unregistering it
            List<String> unmatched = all ? List.of() : manager.unmatched(patterns);
            Map<String, CompletableFuture<UnitStatus>> results = new LinkedHashMap<>();
            for (LoadedUnit lu : manager.matching(patterns)) {
                results.put(lu.name(), switch (verb) {
                    case "start" -> manager.start(lu, who);
                    case "stop" -> lu.supervisor.stop(who);
                    default -> manager.restart(lu, who);
                });
            }
            return new Started(results, unmatched);
        });
        if (s.results().isEmpty() && !all) {
            return noSuchUnit(s.unmatched());
        }
        StringBuilder out = new StringBuilder();
        boolean failed = false;
        for (var e : s.results().entrySet()) {
            UnitStatus st = e.getValue().join();
            boolean ok = verb.equals("stop") ? st.state() == State.STOPPED
                    : st.state() == State.RUNNING || st.state() == State.BACKOFF;
            failed |= !ok;
            out.append(e.getKey()).append(": ").append(st.state().name());
            st.pid().ifPresent(pid -> out.append(" (pid ").append(pid).append(')'));
            if (!ok) {
                st.problem().ifPresent(p -> out.append(": ").append(p));
            }
            out.append('\n');
        }
        String err = s.unmatched().isEmpty() ? "" : noSuchUnit(s.unmatched()).err();
        int code = failed ? Response.FAILED : s.unmatched().isEmpty() ? Response.OK : Response.NO_SUCH_UNIT;
        return new Response(code, out.toString(), err);
    }

    private Response kill(Request request, String who) {
        if (request.args().size() != 1) {
            return Response.error(Response.USAGE, "kill takes exactly one unit name");
        }
        String name = request.args().get(0);
        Optional<Signal> requested = Optional.ofNullable(request.options().get("signal")).flatMap(Signal::parse);
        if (request.options().containsKey("signal") && requested.isEmpty()) {
            return Response.error(Response.USAGE, "'" + request.options().get("signal")
                    + "' is not a signal; use a name like TERM or a number");
        }
        return manager.reactor().call(() -> manager.get(name).map(lu -> {
            Signal sig = requested.orElse(lu.unit().process().killSignal());
            if (!lu.supervisor.kill(sig, who)) {
                return Response.error(Response.FAILED, "unit " + name + " has no running child to signal; "
                        + "start it with 'manage-procs start " + name + "'");
            }
            return Response.ok("sent " + sig + " to the process group of " + name + "\n");
        }).orElseGet(() -> noSuchUnit(List.of(name))));
    }

    private Response reload(Request request, String who) {
        audit.info("reload requested by {}", who);
        Manager.ReloadReport r = manager.reload(request.flag("restart-changed"), who);
        StringBuilder out = new StringBuilder();
        r.added().forEach(n -> out.append(n).append(": added\n"));
        r.removed().forEach(n -> out.append(n).append(": removed (stopped)\n"));
        for (String n : r.changed()) {
            out.append(n).append(r.restarted().contains(n) ? ": changed (restarted)\n" : ": changed (restart to apply)\n");
        }
        StringBuilder err = new StringBuilder();
        r.skipped().stream().filter(s -> s.kind() != Skipped.Kind.OTHER_HOST)
                .forEach(s -> err.append(s.why()).append('\n'));
        if (out.isEmpty()) {
            out.append("no changes\n");
        }
        return new Response(err.isEmpty() ? Response.OK : Response.FAILED, out.toString(), err.toString());
    }

    private Response remove(Request request, String who) {
        if (request.args().isEmpty()) {
            return Response.error(Response.USAGE, "remove takes one or more unit names");
        }
        Map<String, LoadedUnit> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        manager.reactor().call(() -> {
            for (String name : request.args()) {
                manager.get(name).ifPresentOrElse(lu -> found.put(name, lu), () -> missing.add(name));
            }
            return null;
        });
        if (!missing.isEmpty()) {
            return noSuchUnit(missing); // nothing is removed when one name is wrong
        }
        if (request.flag("dry-run")) {
            return Response.ok(found.values().stream().map(lu -> "remove unit " + lu.name() + " and delete "
                    + lu.unit().file() + "\n").collect(Collectors.joining()));
        }
        audit.info("remove {} requested by {}", String.join(" ", found.keySet()), who);
        List<CompletableFuture<UnitStatus>> stops = manager.reactor().call(() -> found.values().stream()
                .map(lu -> manager.drop(lu, who + " (remove)")).toList());
        stops.forEach(CompletableFuture::join);
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        for (LoadedUnit lu : found.values()) {
            try {
                Files.deleteIfExists(lu.unit().file());
                out.append(lu.name()).append(": removed, deleted ").append(lu.unit().file()).append('\n');
            } catch (IOException e) {
                err.append("manage-procs: unit ").append(lu.name()).append(" is stopped and unloaded but ")
                        .append(lu.unit().file()).append(" could not be deleted (").append(e.getMessage())
                        .append("); delete it by hand or it comes back at the next reload\n");
            }
        }
        return new Response(err.isEmpty() ? Response.OK : Response.FAILED, out.toString(), err.toString());
    }

    /**
     * Validates every file first (as it is where the client read it, and as it will be once installed),
     * installs all of them atomically into the first unit dir, then loads them: a bad file installs nothing.
     */
    private Response add(Request request, String who) {
        if (request.files().isEmpty()) {
            return Response.error(Response.USAGE, "add needs at least one unit file");
        }
        Path unitDir = manager.config().unitDirs().get(0);
        boolean force = request.flag("force");
        List<String> errors = new ArrayList<>();
        Map<Path, String> toWrite = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (var file : request.files().entrySet()) {
            String fileName = file.getKey();
            String name = UnitScan.nameOf(Path.of(fileName));
            if (fileName.contains("/") || !fileName.endsWith(UnitParser.SUFFIX) || !UnitParser.validName(name)) {
                errors.add(fileName + ": not a valid unit file name; it must be NAME.toml with NAME matching "
                        + UnitParser.NAME.pattern());
                continue;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(file.getValue())).toString();
            } catch (CharacterCodingException e) {
                errors.add(fileName + ": is not UTF-8 text; save it as UTF-8");
                continue;
            }
            Path origin = Path.of(request.options().getOrDefault("origin." + fileName, unitDir.toString()))
                    .resolve(fileName);
            Path target = unitDir.resolve(fileName);
            ParseResult atOrigin = UnitParser.parse(origin, text, manager.config().defaults());
            if (atOrigin instanceof ParseResult.Failed f) {
                errors.add(UnitScan.describe(f));
                continue;
            }
            ParseResult installed = UnitParser.parse(target, text, manager.config().defaults());
            if (!(installed instanceof ParseResult.Ok ok) || !sameButFile(((ParseResult.Ok) atOrigin).unit(), ok.unit())) {
                errors.add(origin + ": uses relative paths (chdir, env_file, log file or unix: sockets) that would "
                        + "point elsewhere once installed in " + unitDir + "; write them as absolute paths");
                continue;
            }
            if (!force && Files.exists(target)) {
                errors.add(target + " already exists; use --force to replace it (the running unit then shows "
                        + "'changed (restart to apply)')");
                continue;
            }
            toWrite.put(target, text);
            names.add(name);
        }
        if (!errors.isEmpty()) {
            return new Response(Response.FAILED, "", String.join("\n", errors) + "\nmanage-procs: nothing was added\n");
        }
        audit.info("add {} requested by {}", String.join(" ", names), who);
        List<ParseResult.Ok> installed = new ArrayList<>();
        for (var w : toWrite.entrySet()) {
            installed.add((ParseResult.Ok) UnitParser.parse(w.getKey(), w.getValue(), manager.config().defaults()));
        }
        // all or nothing: bind every new unit's console first, then write every file, then start
        Map<String, LoadedUnit> existing = new LinkedHashMap<>();
        List<LoadedUnit> fresh;
        try {
            fresh = manager.reactor().call(() -> {
                List<ParseResult.Ok> toLoad = new ArrayList<>();
                for (ParseResult.Ok ok : installed) {
                    manager.get(ok.unit().name()).ifPresentOrElse(lu -> existing.put(ok.unit().name(), lu),
                            () -> toLoad.add(ok));
                }
                return manager.loadNew(toLoad, who);
            });
        } catch (IllegalArgumentException e) {
            return Response.error(Response.FAILED, e.getMessage() + "; nothing was added");
        }
        try {
            writeAll(unitDir, toWrite);
        } catch (IOException e) {
            manager.reactor().call(() -> fresh.stream().map(lu -> manager.drop(lu, who + " (add failed)")).toList());
            return Response.error(Response.FAILED, "cannot write into the unit directory " + unitDir + " ("
                    + e.getMessage() + "); check its permissions; nothing was added");
        }
        StringBuilder out = new StringBuilder();
        for (ParseResult.Ok ok : installed) {
            String name = ok.unit().name();
            LoadedUnit old = existing.get(name);
            if (old == null) {
                continue;
            }
            // a loaded unit whose file was replaced (--force) only shows as changed, unless --now
            manager.reactor().call(() -> {
                old.sawOnDisk(ok);
                return null;
            });
            String what = "changed (restart to apply)";
            if (request.flag("now")) {
                what = "restarted (" + manager.reactor().call(() -> manager.restart(old, who + " (add --now)")).join().state() + ")";
            }
            out.append(name).append(": replaced ").append(ok.unit().file()).append(", ").append(what).append('\n');
        }
        for (LoadedUnit lu : fresh) {
            UnitStatus s = manager.reactor().call(() -> {
                if (request.flag("now") || lu.unit().restart().autostart()) {
                    lu.supervisor.start(who + " (add)");
                }
                return lu.supervisor.status();
            });
            out.append(lu.name()).append(": added ").append(lu.unit().file()).append(" (").append(s.state()).append(")\n");
        }
        return Response.ok(out.toString());
    }

    /** Every file to a temporary name first, then renames: a failed write leaves the unit dir as it was. */
    private static void writeAll(Path unitDir, Map<Path, String> files) throws IOException {
        Files.createDirectories(unitDir);
        Map<Path, Path> temps = new LinkedHashMap<>();
        try {
            for (var f : files.entrySet()) {
                Path tmp = Files.createTempFile(unitDir, ".add-", ".tmp");
                temps.put(tmp, f.getKey());
                Files.writeString(tmp, f.getValue());
            }
            for (var t : temps.entrySet()) {
                Files.move(t.getKey(), t.getValue(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            for (Path tmp : temps.keySet()) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Two parses of one text that differ only in where the file is: relative paths did not matter. */
    private static boolean sameButFile(Unit a, Unit b) {
        return a.process().equals(b.process()) && a.console().listen().equals(b.console().listen())
                && a.console().logListen().equals(b.console().logListen()) && a.log().equals(b.log());
    }

    static Response noSuchUnit(List<String> names) {
        return Response.error(Response.NO_SUCH_UNIT, (names.size() == 1 ? "no unit matches '" + names.get(0) + "'"
                : "no unit matches " + names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", ")))
                + "; 'manage-procs list --all' shows every unit the manager knows");
    }
}
