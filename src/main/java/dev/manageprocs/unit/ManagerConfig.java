package dev.manageprocs.unit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * manager.toml: where the manager finds units and keeps its files, who may control it, what a package
 * upgrade does to it, and the [defaults] every unit inherits. Paths not set here come from the {@link
 * Layout}; relative paths resolve against the directory holding manager.toml.
 */
public record ManagerConfig(
        Layout.Mode mode,
        Optional<Path> file,
        List<Path> unitDirs,
        Path rundir,
        Path logdir,
        Path controlSocket,
        String controlGroup,
        UpgradePolicy upgrade,
        Defaults defaults) {

    public static final String DEFAULT_CONTROL_GROUP = "manage-procs";

    public ManagerConfig {
        unitDirs = List.copyOf(unitDirs);
    }

    /** A valid configuration, or every problem in manager.toml. */
    public sealed interface Result {
        record Ok(ManagerConfig config) implements Result {
        }

        record Failed(List<Diagnostic> diagnostics) implements Result {
            public Failed {
                diagnostics = List.copyOf(diagnostics);
            }
        }
    }

    /** The same configuration with other unit directories (daemon --unit-dir). */
    public ManagerConfig withUnitDirs(List<Path> dirs) {
        return new ManagerConfig(mode, file, dirs, rundir, logdir, controlSocket, controlGroup, upgrade, defaults);
    }

    /**
     * Every top-level key but [defaults] with its effective value, in the file's order, as {@code manage-procs
     * config} shows them: one string per value (unit_dirs has one per directory).
     */
    public Map<String, List<String>> settings() {
        Map<String, List<String>> s = new LinkedHashMap<>();
        s.put("unit_dirs", unitDirs.stream().map(Path::toString).toList());
        s.put("rundir", List.of(rundir.toString()));
        s.put("logdir", List.of(logdir.toString()));
        s.put("control_socket", List.of(controlSocket.toString()));
        s.put("control_group", List.of(controlGroup));
        s.put("upgrade", List.of(upgrade.key()));
        return s;
    }

    /** The layout's paths and no [defaults]: what a missing manager.toml means. */
    public static ManagerConfig of(Layout layout) {
        return new ManagerConfig(layout.mode(), Optional.empty(), List.of(layout.unitDir()), layout.rundir(),
                layout.logdir(), layout.controlSocket(), DEFAULT_CONTROL_GROUP, UpgradePolicy.REEXEC, Defaults.NONE);
    }

    /**
     * Loads explicitFile (--config: it must exist), else the layout's manager.toml when it exists,
     * else {@link #of(Layout)}.
     */
    public static Result load(Layout layout, Optional<Path> explicitFile) {
        Path file = explicitFile.orElse(layout.configFile());
        if (explicitFile.isEmpty() && !Files.exists(file)) {
            return new Result.Ok(of(layout));
        }
        List<Diagnostic> problems = new ArrayList<>();
        String text = TomlSource.read(file, problems);
        return text == null ? new Result.Failed(problems) : parse(file, text, layout);
    }

    /** Parses text as the content of file (tests, and load). */
    public static Result parse(Path file, String text, Layout layout) {
        List<Diagnostic> problems = new ArrayList<>();
        TomlParseResult toml = TomlSource.parse(text, file, problems);
        if (!problems.isEmpty()) {
            return new Result.Failed(problems);
        }
        Path baseDir = file.toAbsolutePath().normalize().getParent();
        Layer layer = new Layer(toml, file, baseDir, "", TomlSource.lines(text));
        UnitSchema.check(layer, UnitSchema.MANAGER, problems);

        List<Path> unitDirs = read(layer, "unit_dirs", List.of(layout.unitDir()), problems,
                "an array of directories like [\"/etc/manage-procs/units\"]", f -> dirs(f, problems));
        Path rundir = read(layer, "rundir", layout.rundir(), problems, "a directory like \"/run/manage-procs\"",
                Found::asPath);
        Path logdir = read(layer, "logdir", layout.logdir(), problems, "a directory like \"/var/log/manage-procs\"",
                Found::asPath);
        Path socket = read(layer, "control_socket", rundir.resolve("control.sock"), problems,
                "a path like \"/run/manage-procs/control.sock\"", Found::asPath);
        String group = read(layer, "control_group", DEFAULT_CONTROL_GROUP, problems, "a group name like \"manage-procs\"",
                f -> {
                    if (!(f.raw() instanceof String s)) {
                        return null;
                    }
                    if (!AccountName.valid(s)) {
                        throw new IllegalArgumentException("is not a valid group name; use a name like manage-procs");
                    }
                    return s;
                });
        UpgradePolicy upgrade = read(layer, "upgrade", UpgradePolicy.REEXEC, problems,
                "one of \"reexec\", \"restart-units\" or \"none\"", ManagerConfig::upgradePolicy);

        Defaults defaults = Defaults.NONE;
        if (toml.get(List.of("defaults")) instanceof TomlTable table) {
            Layer defaultsLayer = new Layer(table, file, baseDir, "defaults.", TomlSource.lines(text));
            UnitReader reader = new UnitReader(List.of(defaultsLayer));
            reader.checkDefaults();
            problems.addAll(reader.problems());
            defaults = new Defaults(defaultsLayer);
        }
        if (!problems.isEmpty()) {
            return new Result.Failed(problems.stream()
                    .sorted(Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column))
                    .toList());
        }
        return new Result.Ok(new ManagerConfig(layout.mode(), Optional.of(file), unitDirs, rundir, logdir, socket, group,
                upgrade, defaults));
    }

    private static <T> T read(Layer layer, String key, T fallback, List<Diagnostic> problems, String expected,
            Function<Found, T> convert) {
        T value = layer.find(List.of(key)).map(f -> f.typed(expected, convert, problems)).orElse(null);
        return value != null ? value : fallback;
    }

    private static UpgradePolicy upgradePolicy(Found f) {
        if (!(f.raw() instanceof String s)) {
            return null;
        }
        for (UpgradePolicy p : UpgradePolicy.values()) {
            if (p.key().equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("is not an upgrade policy; use \"reexec\" (the new code takes over, no unit "
                + "stops), \"restart-units\" (restart the manager and every unit) or \"none\"");
    }

    private static List<Path> dirs(Found f, List<Diagnostic> problems) {
        if (!(f.raw() instanceof TomlArray array)) {
            return null;
        }
        if (array.isEmpty()) {
            throw new IllegalArgumentException("is empty; list at least one directory of unit files");
        }
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Path dir = f.element(i).typed("a directory like \"/etc/manage-procs/units\"", Found::asPath, problems);
            if (dir != null) {
                out.add(dir);
            }
        }
        return out;
    }
}
