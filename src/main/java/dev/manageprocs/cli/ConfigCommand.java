package dev.manageprocs.cli;

import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ManagerConfig;
import dev.manageprocs.unit.UnitToml;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code manage-procs config [KEY]}: the manager configuration this mode reads, with every default filled in,
 * read from the file without asking a manager (a running one may have read an older version). With KEY the
 * bare value, which the package's scripts read {@code upgrade} with.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print the manager configuration of this mode (its manager.toml, or --config FILE) with "
                + "every default filled in, as TOML; with KEY only that key's value, one per line, for scripts "
                + "(manage-procs --system config upgrade).",
            "It reads the file as it is now: a running manager read it when it started. [defaults] is not "
                + "shown; manage-procs check --config FILE UNIT.toml applies it to unit files."},
        footer = {"", "Exit status: 0 ok, 1 the file has errors (each printed as FILE:LINE:COL: what to do), "
                + "2 KEY is not a key of manager.toml."})
final class ConfigCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "KEY", description = "A top-level key of manager.toml.")
    String key;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GlobalOptions g = main.global;
        if (g.user && g.system) {
            err.println("manage-procs: --user and --system exclude each other; give one of them");
            err.flush();
            return 2;
        }
        Optional<Layout.Mode> mode = g.system ? Optional.of(Layout.Mode.SYSTEM)
                : g.user ? Optional.of(Layout.Mode.USER) : Optional.empty();
        ManagerConfig config;
        switch (ManagerConfig.load(Layout.forThisProcess(mode), Optional.ofNullable(g.config))) {
            case ManagerConfig.Result.Failed f -> {
                f.diagnostics().forEach(err::println);
                err.flush();
                return 1;
            }
            case ManagerConfig.Result.Ok ok -> config = ok.config();
        }
        Map<String, List<String>> settings = config.settings();
        if (key != null) {
            List<String> values = settings.get(key);
            if (values == null) {
                err.println("manage-procs: '" + key + "' is not a key of manager.toml; use one of "
                        + String.join(", ", settings.keySet()));
                err.flush();
                return 2;
            }
            values.forEach(out::println);
            out.flush();
            return 0;
        }
        String modeName = config.mode() == Layout.Mode.SYSTEM ? "system" : "user";
        out.println(config.file().map(f -> "# " + f + " (" + modeName + " mode)")
                .orElse("# no manager.toml: every key has its default (" + modeName + " mode)"));
        settings.forEach((k, values) -> out.println(k + " = " + (k.equals("unit_dirs")
                ? "[" + String.join(", ", values.stream().map(UnitToml::quote).toList()) + "]"
                : UnitToml.quote(values.get(0)))));
        out.flush();
        return 0;
    }
}
