package dev.manageprocs.cli;

import dev.manageprocs.unit.Defaults;
import dev.manageprocs.unit.Diagnostic;
import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ManagerConfig;
import dev.manageprocs.unit.ParseResult;
import dev.manageprocs.unit.UnitCatalog;
import dev.manageprocs.unit.UnitParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code manage-procs check FILE...}: validates unit files without a manager, with manager.toml's
 * [defaults] when --config is given, including clashes between the files. Loads neither JNA nor
 * Logback, so it starts fast in editors' save hooks and CI.
 */
@Command(name = "check", description = {
    "Validate unit files without a running manager: syntax, keys, values, and sockets claimed twice.",
    "Prints 'FILE: ok' for each good file; every problem goes to stderr as FILE:LINE:COL: message.",
    "With --config FILE, its [defaults] apply as they would in the manager."})
public final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Unit files (NAME.toml) to check.")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Defaults defaults = Defaults.NONE;
        if (main.global.config != null) {
            Optional<Layout.Mode> mode = main.global.system ? Optional.of(Layout.Mode.SYSTEM)
                    : main.global.user ? Optional.of(Layout.Mode.USER) : Optional.empty();
            switch (ManagerConfig.load(Layout.forThisProcess(mode), Optional.of(main.global.config))) {
                case ManagerConfig.Result.Ok ok -> defaults = ok.config().defaults();
                case ManagerConfig.Result.Failed failed -> {
                    failed.diagnostics().forEach(err::println);
                    err.flush();
                    return 1;
                }
            }
        }
        List<ParseResult> results = new ArrayList<>();
        List<ParseResult.Ok> good = new ArrayList<>();
        for (Path file : files) {
            ParseResult r = UnitParser.parse(file, defaults);
            results.add(r);
            if (r instanceof ParseResult.Ok ok) {
                good.add(ok);
            }
        }
        List<UnitCatalog.Conflict> conflicts = UnitCatalog.conflicts(good);
        boolean allGood = true;
        for (int i = 0; i < files.size(); i++) {
            List<Diagnostic> problems = switch (results.get(i)) {
                case ParseResult.Failed failed -> failed.diagnostics();
                case ParseResult.Ok ok -> conflicts.stream()
                        .filter(c -> c.unit() == ok.unit())
                        .map(UnitCatalog.Conflict::diagnostic)
                        .toList();
            };
            if (problems.isEmpty()) {
                out.println(files.get(i) + ": ok");
            } else {
                allGood = false;
                problems.forEach(err::println);
            }
        }
        out.flush();
        err.flush();
        return allGood ? 0 : 1;
    }
}
