package dev.manageprocs.manager;

import dev.manageprocs.access.Audit;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.VerbOption;
import dev.manageprocs.supervisor.Goal;
import dev.manageprocs.supervisor.UnitStatus;
import dev.manageprocs.unit.ParseResult;
import dev.manageprocs.unit.Unit;
import dev.manageprocs.unit.UnitParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** The verbs that change the unit files or what is loaded from them: add, remove and reload. */
final class UnitFileVerbs {
    private final Manager manager;

    UnitFileVerbs(Manager manager) {
        this.manager = manager;
    }

    Response reload(Request request, String who) {
        Audit.LOG.info("reload requested by {}", who);
        Manager.ReloadReport r = manager.reload(request.flag(VerbOption.RESTART_CHANGED), who);
        StringBuilder out = new StringBuilder();
        r.added().forEach(n -> out.append(n).append(": added\n"));
        r.removed().forEach(n -> out.append(n).append(": removed (stopped)\n"));
        for (String n : r.changed()) {
            out.append(n).append(r.restarted().contains(n) ? ": changed (restarted)\n" : ": changed (restart to apply)\n");
        }
        StringBuilder err = new StringBuilder();
        r.skipped().stream().filter(s -> s.kind() != Skipped.Kind.OTHER_HOST)
                .forEach(s -> err.append(s.why()).append('\n'));
        r.unsettled().forEach(line -> err.append("manage-procs: ").append(line).append('\n'));
        if (out.isEmpty()) {
            out.append("no changes\n");
        }
        return new Response(err.isEmpty() ? Response.OK : Response.FAILED, out.toString(), err.toString());
    }

    Response remove(Request request, String who) {
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
            return ManagerCommands.noSuchUnit(missing); // nothing is removed when one name is wrong
        }
        if (request.flag(VerbOption.DRY_RUN)) {
            return Response.ok(found.values().stream().map(lu -> "remove unit " + lu.name() + " and delete "
                    + lu.unit().file() + "\n").collect(Collectors.joining()));
        }
        Audit.LOG.info("remove {} requested by {}", String.join(" ", found.keySet()), who);
        // the files go first, all or none: a unit whose file cannot be deleted keeps running untouched
        try {
            deleteAll(found.values().stream().map(lu -> lu.unit().file()).toList());
        } catch (IOException e) {
            return Response.error(Response.FAILED, e.getMessage() + "; nothing was removed");
        }
        // each unit stays registered (keeping its name from any reload) until its child is gone
        Map<LoadedUnit, CompletableFuture<UnitStatus>> stops = manager.reactor().call(() -> {
            Map<LoadedUnit, CompletableFuture<UnitStatus>> m = new LinkedHashMap<>();
            found.values().forEach(lu -> m.put(lu, manager.drop(lu, who + " (remove)")));
            return m;
        });
        SettleDeadline deadline = SettleDeadline.forUnits(stops.keySet());
        StringBuilder out = new StringBuilder();
        boolean failed = false;
        for (var e : stops.entrySet()) {
            LoadedUnit lu = e.getKey();
            if (deadline.await(e.getValue()).isPresent()) {
                out.append(lu.name()).append(": removed, deleted ").append(lu.unit().file()).append('\n');
            } else {
                failed = true;
                out.append(deadline.unsettled(lu.name(), manager.reactor().call(lu.supervisor::status))).append('\n');
            }
        }
        return new Response(failed ? Response.FAILED : Response.OK, out.toString(), "");
    }

    /**
     * Deletes the files, all or none: each is first renamed aside in its directory, and on the first
     * failure the ones renamed so far are put back. Throws with one sentence naming the file.
     */
    private static void deleteAll(List<Path> files) throws IOException {
        Map<Path, Path> aside = new LinkedHashMap<>();
        for (Path file : files) {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".removing");
            try {
                Files.move(file, tmp, StandardCopyOption.ATOMIC_MOVE);
                aside.put(file, tmp);
            } catch (NoSuchFileException e) {
                // already gone: nothing to delete
            } catch (IOException e) {
                for (var back : aside.entrySet()) {
                    Files.move(back.getValue(), back.getKey(), StandardCopyOption.ATOMIC_MOVE);
                }
                throw new IOException("cannot delete " + file + " (" + e.getMessage()
                        + "); check the permissions of " + file.getParent(), e);
            }
        }
        for (Path tmp : aside.values()) {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Validates every file first (as it is where the client read it, and as it will be once installed),
     * installs all of them atomically into the first unit dir, then loads them: a bad file installs nothing.
     */
    Response add(Request request, String who) {
        if (request.files().isEmpty()) {
            return Response.error(Response.USAGE, "add needs at least one unit file");
        }
        Path unitDir = manager.config().unitDirs().get(0);
        boolean force = request.flag(VerbOption.FORCE);
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
            Path origin = Path.of(request.options().getOrDefault(VerbOption.ORIGIN.keyFor(fileName), unitDir.toString()))
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
        Audit.LOG.info("add {} requested by {}", String.join(" ", names), who);
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
                    Optional<LoadedUnit> loaded = manager.get(ok.unit().name());
                    if (loaded.isPresent() && loaded.get().goal() instanceof Goal.Remove) {
                        throw new IllegalArgumentException("unit " + ok.unit().name() + " is being removed; "
                                + "add it again once 'manage-procs status " + ok.unit().name() + "' no longer finds it");
                    }
                    loaded.ifPresentOrElse(lu -> existing.put(ok.unit().name(), lu), () -> toLoad.add(ok));
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
            if (request.flag(VerbOption.NOW)) {
                CompletableFuture<UnitStatus> restarted = manager.reactor().call(() -> manager.restart(old, who + " (add --now)"));
                SettleDeadline deadline = SettleDeadline.forUnits(List.of(old));
                what = deadline.await(restarted).map(st -> "restarted (" + st.state() + ")")
                        .orElseGet(() -> deadline.unsettled(name, manager.reactor().call(old.supervisor::status)));
            }
            out.append(name).append(": replaced ").append(ok.unit().file()).append(", ").append(what).append('\n');
        }
        for (LoadedUnit lu : fresh) {
            UnitStatus s = manager.reactor().call(() -> {
                if (request.flag(VerbOption.NOW) || lu.unit().restart().autostart()) {
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
}
