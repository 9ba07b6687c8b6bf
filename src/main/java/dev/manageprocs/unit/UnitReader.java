package dev.manageprocs.unit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * Types and checks the values of one unit: its own file over manager.toml's [defaults] over the
 * built-in defaults. Collects every problem instead of stopping at the first, so one run of
 * {@code check} shows them all.
 */
final class UnitReader {
    static final String DURATION = "a duration like \"15s\", \"500ms\" or a number of seconds";
    static final String SIZE = "a size like \"64KiB\", \"10MiB\" or a number of bytes";
    static final String SIGNAL = "a signal like \"SIGTERM\", \"TERM\" or 15";
    static final String BOOLEAN = "true or false";
    static final String KEY = "a key like \"^X\", \"^^\" or \"\" (disabled)";
    /** Bigger histories would be replayed to every client on connect, for every unit: bound them. */
    static final long MAX_HISTORY = 64L << 20;
    static final KeyBindings DEFAULT_KEYS = new KeyBindings(
            KeySpecs.parse("^X"), KeySpecs.parse("^T"), KeySpecs.parse("^R"), KeySpecs.parse("^Q"), KeySpecs.parse("^D"));
    static final String DEFAULT_IGNORE = KeySpecs.parseSequence("^C^D^]");
    private static final List<String> KEY_NAMES = List.of("kill", "toggle", "restart", "quit", "logout");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The manager sets these for every child; a unit value would be silently replaced. */
    private static final Set<String> MANAGER_ENV = Set.of("PROCSERV_NAME", "IOCNAME", "PROCSERV_INFO");

    /** An endpoint and the dotted key it was written at ("console.listen[0]"). */
    private record Bound(Endpoint endpoint, String key) {
    }

    private final List<Layer> layers;
    private final List<Diagnostic> problems = new ArrayList<>();
    private final Map<String, Found> found = new LinkedHashMap<>();

    /** layers: most specific first (the unit file, then [defaults]). */
    UnitReader(List<Layer> layers) {
        this.layers = List.copyOf(layers);
    }

    /** The unit, or null when there are problems(). */
    Unit unit(String name, Path file) {
        UnitSchema.check(layers.getFirst(), UnitSchema.UNIT, problems);
        Optional<String> description = Optional.ofNullable(read(List.of("description"), null,
                "a string like \"BL1 motion IOC\"", f -> f.raw() instanceof String s ? s : null));
        Optional<String> host = Optional.ofNullable(read(List.of("host"), null, "a host name like \"ioc-bl1\"",
                f -> f.raw() instanceof String s ? nonEmpty(s, "a host name") : null));
        ProcessSpec process = process(true);
        RestartSpec restart = restart();
        ConsoleSpec console = console();
        LogSpec log = log();
        return problems.isEmpty() ? new Unit(name, file, description, host, process, restart, console, log) : null;
    }

    /** Checks the only layer as manager.toml's [defaults] (no command; same types and rules). */
    void checkDefaults() {
        UnitSchema.check(layers.getFirst(), UnitSchema.DEFAULTS, problems);
        process(false);
        restart();
        console();
        log();
    }

    /** Every problem found, in file order. */
    List<Diagnostic> problems() {
        return problems.stream()
                .sorted(Comparator.comparing((Diagnostic d) -> d.file().toString())
                        .thenComparingInt(Diagnostic::line)
                        .thenComparingInt(Diagnostic::column))
                .toList();
    }

    SourceMap sourceMap(Path file) {
        Map<String, SourceMap.Location> locations = new LinkedHashMap<>();
        found.forEach((k, f) -> locations.put(k, f.location()));
        return new SourceMap(file, locations);
    }

    // ---- sections

    private ProcessSpec process(boolean unit) {
        List<String> command = unit ? command() : List.of();
        Path chdir = read(List.of("process", "chdir"), Path.of("/"),
                "a directory like \"/epics/iocs/bl1/iocBoot/iocbl1\"", Found::asPath);
        Map<String, String> env = env();
        Optional<Path> envFile = Optional.ofNullable(read(List.of("process", "env_file"), null,
                "a file like \"/etc/epics/site.env\"", Found::asPath));
        Optional<String> user = Optional.ofNullable(read(List.of("process", "user"), null,
                "a user name or id like \"softioc\" or \"1000\"", f -> account(f, "user")));
        Optional<String> group = Optional.ofNullable(read(List.of("process", "group"), null,
                "a group name or id like \"softioc\" or \"1000\"", f -> account(f, "group")));
        Integer umask = read(List.of("process", "umask"), null, "a string of octal digits like \"0022\"", this::umask);
        Optional<CoreSize> coreSize = Optional.ofNullable(read(List.of("process", "core_size"), null,
                "a size like \"1GiB\", \"unlimited\" or 0", this::coreSize));
        Signal stopSignal = read(List.of("process", "stop_signal"), Signal.TERM, SIGNAL, this::signal);
        Duration stopTimeout = read(List.of("process", "stop_timeout"), Duration.ofSeconds(10), DURATION, this::duration);
        Signal killSignal = read(List.of("process", "kill_signal"), Signal.KILL, SIGNAL, this::signal);
        return new ProcessSpec(command, chdir, env, envFile, user, group,
                umask == null ? OptionalInt.empty() : OptionalInt.of(umask), coreSize, stopSignal, stopTimeout, killSignal);
    }

    private RestartSpec restart() {
        RestartMode mode = read(List.of("restart", "mode"), RestartMode.ALWAYS,
                "one of \"always\", \"on-failure\" or \"never\"", this::restartMode);
        Duration holdoff = read(List.of("restart", "holdoff"), Duration.ofSeconds(15), DURATION, this::duration);
        int maxRestarts = read(List.of("restart", "max_restarts"), 0, "a whole number like 5 (0 = unlimited)",
                f -> count(f, 1_000_000));
        Duration window = read(List.of("restart", "window"), Duration.ofMinutes(10), DURATION, this::duration);
        boolean autostart = read(List.of("restart", "autostart"), true, BOOLEAN, this::bool);
        if (maxRestarts > 0 && window.isZero()) {
            problemAt(blame("restart.window", "restart.max_restarts"), "[restart] max_restarts = " + maxRestarts
                    + " counts restarts within window, but window is 0; set window like \"10min\", or max_restarts = 0"
                    + " for no limit");
        }
        return new RestartSpec(mode, holdoff, maxRestarts, window, autostart);
    }

    private ConsoleSpec console() {
        List<Bound> listen = endpoints("listen", List.of(new Endpoint.UnixDefault("unix:default")));
        List<Bound> logListen = endpoints("log_listen", List.of());
        boolean allowRemote = read(List.of("console", "allow_remote"), false, BOOLEAN, this::bool);
        Optional<String> logGroup = Optional.ofNullable(read(List.of("console", "log_group"), null,
                "a group name or id like \"operators\" or \"1000\"", f -> account(f, "log_group")));
        KeyBindings keys = keys();
        String ignore = read(List.of("console", "ignore"), DEFAULT_IGNORE, "control keys like \"^C^D^]\"",
                f -> f.raw() instanceof String s ? KeySpecs.parseSequence(s) : null);
        long history = read(List.of("console", "history"), 64L << 10, SIZE, this::history);
        boolean banner = read(List.of("console", "banner"), true, BOOLEAN, this::bool);
        List<Bound> all = new ArrayList<>(listen);
        all.addAll(logListen);
        checkRemote(all, allowRemote);
        checkDistinct(listen, logListen);
        checkKeysNotIgnored(keys, ignore);
        return new ConsoleSpec(listen.stream().map(Bound::endpoint).toList(),
                logListen.stream().map(Bound::endpoint).toList(), allowRemote, logGroup, keys, ignore, history, banner);
    }

    private LogSpec log() {
        LogSpec.LogTarget file = read(List.of("log", "file"), new LogSpec.LogTarget.Default(),
                "\"default\", \"\" (no log file) or a path like \"/var/log/ioc1.log\"", this::logTarget);
        boolean timestamp = read(List.of("log", "timestamp"), true, BOOLEAN, this::bool);
        TimestampFormat format = read(List.of("log", "timestamp_format"), new TimestampFormat("%Y-%m-%d %H:%M:%S "),
                "a strftime format like \"%Y-%m-%d %H:%M:%S \"", this::timestampFormat);
        long maxSize = read(List.of("log", "max_size"), 10L << 20, SIZE, this::size);
        int keep = read(List.of("log", "keep"), 5, "a whole number like 5 (0 = never rotate)", f -> count(f, 999));
        if (keep > 0 && maxSize == 0) {
            problemAt(blame("log.max_size", "log.keep"), "[log] keep = " + keep + " rotates the log when it reaches"
                    + " max_size, but max_size is 0; set max_size like \"10MiB\", or keep = 0 to never rotate");
        }
        return new LogSpec(file, timestamp, format, maxSize, keep);
    }

    // ---- values that need more than one converter

    private List<String> command() {
        List<String> path = List.of("process", "command");
        Optional<Found> written = find(path);
        if (written.isEmpty()) {
            Optional<Found> section = layers.getFirst().find(List.of("process"));
            if (section.isPresent() && !(section.get().raw() instanceof TomlTable)) {
                return List.of(); // UnitSchema reports the non-table
            }
            String message = section.isPresent()
                    ? "[process] command is missing; add the program to run, like command = [\"./st.cmd\"]"
                    : "the [process] section is missing; add one with the program to run: [process] command = [\"./st.cmd\"]";
            problems.add(section.map(s -> s.problem(message))
                    .orElseGet(() -> new Diagnostic(layers.getFirst().file(), 0, 0, message)));
            return List.of();
        }
        Found c = written.get();
        if (c.raw() instanceof TomlArray array) {
            if (array.isEmpty()) {
                problems.add(c.problem(c.name() + " = [] is empty; name the program to run, like [\"./st.cmd\"]"));
            }
            List<String> argv = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                int index = i;
                argv.add(convert(c.element(i), "", "a string like \"./st.cmd\"",
                        f -> f.raw() instanceof String s ? argument(s, index) : null));
            }
            return argv;
        }
        return convert(c, List.of(), "an array of strings like [\"./st.cmd\"] or a command line like \"./st.cmd -x\"",
                f -> {
                    if (!(f.raw() instanceof String s)) {
                        return null;
                    }
                    List<String> words = ShellWords.split(s);
                    if (words.isEmpty()) {
                        throw new IllegalArgumentException("is empty; name the program to run, like \"./st.cmd\"");
                    }
                    words.forEach(w -> argument(w, 1));
                    return words;
                });
    }

    /** env of every layer merged variable by variable, the unit's winning. */
    private Map<String, String> env() {
        Map<String, String> env = new TreeMap<>();
        for (Layer layer : layers.reversed()) {
            Optional<Found> table = layer.find(List.of("process", "env"));
            if (table.isEmpty() || !(table.get().raw() instanceof TomlTable t)) {
                continue; // a non-table is reported by UnitSchema
            }
            for (String name : t.keySet()) {
                Found v = layer.find(List.of("process", "env", name)).orElseThrow();
                found.put("process.env." + name, v);
                if (!ENV_NAME.matcher(name).matches()) {
                    problems.add(v.problem(v.name() + " is not a valid variable name; use letters, digits and '_', not"
                            + " starting with a digit"));
                } else if (MANAGER_ENV.contains(name)) {
                    problems.add(v.problem(v.name() + " is set by manage-procs for every child; remove it"));
                } else {
                    String value = convert(v, null, "a string like \"5064\"",
                            f -> f.raw() instanceof String s ? noNul(s) : null);
                    if (value != null) {
                        env.put(name, value);
                    }
                }
            }
        }
        return env;
    }

    private KeyBindings keys() {
        KeySpec[] defaults = {DEFAULT_KEYS.kill(), DEFAULT_KEYS.toggle(), DEFAULT_KEYS.restart(), DEFAULT_KEYS.quit(),
            DEFAULT_KEYS.logout()};
        KeySpec[] keys = new KeySpec[KEY_NAMES.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = read(List.of("console", "keys", KEY_NAMES.get(i)), defaults[i], KEY,
                    f -> f.raw() instanceof String s ? KeySpecs.parse(s) : null);
        }
        for (int j = 1; j < keys.length; j++) {
            for (int i = 0; i < j; i++) {
                if (keys[i].enabled() && keys[i].equals(keys[j])) {
                    String a = "console.keys." + KEY_NAMES.get(i);
                    String b = "console.keys." + KEY_NAMES.get(j);
                    String blamed = blame(a, b);
                    String other = blamed.equals(a) ? b : a;
                    problemAt(blamed, nameOf(blamed) + " = \"" + keys[j].spec() + "\" is also the "
                            + other.substring(other.lastIndexOf('.') + 1) + " key; give each action its own key,"
                            + " or \"\" to disable one");
                }
            }
        }
        return new KeyBindings(keys[0], keys[1], keys[2], keys[3], keys[4]);
    }

    private List<Bound> endpoints(String key, List<Endpoint> fallback) {
        Optional<Found> written = find(List.of("console", key));
        if (written.isEmpty()) {
            return fallback.stream().map(e -> new Bound(e, "console." + key)).toList();
        }
        Found list = written.get();
        if (!(list.raw() instanceof TomlArray array)) {
            problems.add(list.problem(list.name() + " must be an array of endpoints like [\"unix:default\", \"20000\"],"
                    + " not " + Found.typeOf(list.raw())));
            return List.of();
        }
        List<Bound> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Found element = list.element(i);
            String dotted = "console." + key + "[" + i + "]";
            found.put(dotted, element);
            Endpoint e = convert(element, null, "an endpoint like \"20000\" or \"unix:default\"",
                    f -> f.raw() instanceof String s ? Endpoints.parse(s, f.layer().baseDir()) : null);
            if (e != null) {
                out.add(new Bound(e, dotted));
            }
        }
        return out;
    }

    private void checkRemote(List<Bound> endpoints, boolean allowRemote) {
        for (Bound b : endpoints) {
            if (!allowRemote && b.endpoint() instanceof Endpoint.Tcp tcp && !tcp.loopback()) {
                problemAt(blame(b.key(), "console.allow_remote"), nameOf(b.key()) + " = \"" + tcp.spec()
                        + "\" accepts connections from other hosts, but allow_remote is false; set allow_remote = true"
                        + " in [console] to allow that, or listen on 127.0.0.1");
            }
        }
    }

    /** No socket twice: within listen, within log_listen, and between them ("unix:default" differs between the two). */
    private void checkDistinct(List<Bound> listen, List<Bound> logListen) {
        List<Bound> all = new ArrayList<>(listen);
        all.addAll(logListen);
        for (int j = 1; j < all.size(); j++) {
            for (int i = 0; i < j; i++) {
                Bound a = all.get(i);
                Bound b = all.get(j);
                boolean sameList = (i < listen.size()) == (j < listen.size());
                boolean bothDefault = a.endpoint() instanceof Endpoint.UnixDefault;
                if (Endpoints.clash(a.endpoint(), b.endpoint()) && (sameList || !bothDefault)) {
                    String blamed = blame(a.key(), b.key());
                    Bound other = blamed.equals(a.key()) ? b : a;
                    Bound self = other == a ? b : a;
                    problemAt(blamed, nameOf(self.key()) + " = \"" + self.endpoint().spec() + "\" is the same socket as "
                            + nameOf(other.key()) + " = \"" + other.endpoint().spec() + "\"; remove one of them, or"
                            + " give it another port or path");
                    break;
                }
            }
        }
    }

    // ---- converters: return null for a wrong TOML type, throw IllegalArgumentException for a bad value

    private LogSpec.LogTarget logTarget(Found f) {
        if (!(f.raw() instanceof String s)) {
            return null;
        }
        if (s.equals("default")) {
            return new LogSpec.LogTarget.Default();
        }
        return s.isEmpty() ? new LogSpec.LogTarget.None() : new LogSpec.LogTarget.File(f.asPath());
    }

    private String account(Found f, String what) {
        if (!(f.raw() instanceof String s)) {
            return null;
        }
        if (!AccountName.valid(s)) {
            throw new IllegalArgumentException("is not a valid " + what + " name; use a name like softioc, or a number");
        }
        return s;
    }

    private Integer umask(Found f) {
        if (!(f.raw() instanceof String s)) {
            return null;
        }
        if (!s.matches("[0-7]{1,4}") || Integer.parseInt(s, 8) > 0777) {
            throw new IllegalArgumentException("is not a umask; write octal digits from \"0000\" to \"0777\", like \"0022\"");
        }
        return Integer.parseInt(s, 8);
    }

    private CoreSize coreSize(Found f) {
        if (f.raw() instanceof Long n) {
            return new CoreSize(Sizes.ofBytes(n));
        }
        if (!(f.raw() instanceof String s)) {
            return null;
        }
        if (s.equals("unlimited")) {
            return CoreSize.UNLIMITED;
        }
        try {
            return new CoreSize(Sizes.parse(s));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a core size; write a size like \"1GiB\", \"unlimited\" or 0");
        }
    }

    private Signal signal(Found f) {
        String bad = "is not a signal; use a name like \"SIGTERM\" or \"TERM\", or a number from 1 to " + Signal.MAX;
        if (f.raw() instanceof Long n) {
            if (n < 1 || n > Signal.MAX) {
                throw new IllegalArgumentException(bad);
            }
            return Signal.of(n.intValue());
        }
        return f.raw() instanceof String s ? Signal.parse(s).orElseThrow(() -> new IllegalArgumentException(bad)) : null;
    }

    private Duration duration(Found f) {
        return switch (f.raw()) {
            case String s -> Durations.parse(s);
            case Long n -> Durations.ofSeconds(n);
            case Double d -> Durations.ofSeconds(d);
            default -> null;
        };
    }

    private Long size(Found f) {
        return switch (f.raw()) {
            case String s -> Sizes.parse(s);
            case Long n -> Sizes.ofBytes(n);
            default -> null;
        };
    }

    private Long history(Found f) {
        Long n = size(f);
        if (n != null && n > MAX_HISTORY) {
            throw new IllegalArgumentException("is more than 64MiB, which would be replayed to every client on connect;"
                    + " use a smaller size like \"64KiB\"");
        }
        return n;
    }

    private Integer count(Found f, int max) {
        if (!(f.raw() instanceof Long n)) {
            return null;
        }
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("is out of range; use a number from 0 to " + max);
        }
        return n.intValue();
    }

    private Boolean bool(Found f) {
        return f.raw() instanceof Boolean b ? b : null;
    }

    private RestartMode restartMode(Found f) {
        if (!(f.raw() instanceof String s)) {
            return null;
        }
        for (RestartMode m : RestartMode.values()) {
            if (m.key().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("is not a restart mode; use \"always\", \"on-failure\" or \"never\"");
    }

    private TimestampFormat timestampFormat(Found f) {
        if (!(f.raw() instanceof String s)) {
            return null;
        }
        try {
            return new TimestampFormat(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid format: " + e.getMessage());
        }
    }

    private static String argument(String s, int index) {
        noNul(s);
        if (index == 0 && s.isEmpty()) {
            throw new IllegalArgumentException("is empty; it must name the program to run, like \"./st.cmd\"");
        }
        return s;
    }

    private static String noNul(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("contains a NUL character, which the system cannot pass on; remove it");
        }
        return s;
    }

    private static String nonEmpty(String s, String what) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("is empty; give " + what + ", or leave the key out");
        }
        return s;
    }

    // ---- lookup and reporting

    private Optional<Found> find(List<String> path) {
        for (Layer layer : layers) {
            Optional<Found> f = layer.find(path);
            if (f.isPresent()) {
                found.put(String.join(".", path), f.get());
                return f;
            }
        }
        return Optional.empty();
    }

    /** The typed value at path, fallback when absent or bad (after adding a problem). */
    private <T> T read(List<String> path, T fallback, String expected, Function<Found, T> convert) {
        return find(path).map(f -> convert(f, fallback, expected, convert)).orElse(fallback);
    }

    private <T> T convert(Found f, T fallback, String expected, Function<Found, T> convert) {
        T value = f.typed(expected, convert, problems);
        return value != null ? value : fallback;
    }

    /** Of two keys in conflict, the one to point at: the more specific layer's, else the later one; built-ins never. */
    /**
     * A kill, toggle, restart or quit key that is also in {@code ignore} reads as a mistake: the key
     * would act, yet the file says to drop that byte. The logout key is exempt: the built-in defaults
     * bind ^D to logout and list it in ignore, meaning "^D never reaches the child" (docs/unit-files.md).
     */
    private void checkKeysNotIgnored(KeyBindings keys, String ignore) {
        KeySpec[] acting = {keys.kill(), keys.toggle(), keys.restart(), keys.quit()};
        for (int i = 0; i < acting.length; i++) {
            if (acting[i].enabled() && ignore.indexOf((char) acting[i].code()) >= 0) {
                String key = "console.keys." + KEY_NAMES.get(i);
                String ignoreSpec = ignore.chars().mapToObj(c -> new KeySpec(c).spec()).reduce("", String::concat);
                problemAt(blame(key, "console.ignore"), nameOf(key) + " = \"" + acting[i].spec()
                        + "\" is also in ignore = \"" + ignoreSpec + "\", so that byte would both act and be dropped;"
                        + " remove it from ignore or choose another key");
            }
        }
    }

    private String blame(String a, String b) {
        Found fa = found.get(a);
        Found fb = found.get(b);
        if (fa == null || fb == null) {
            return fa == null ? b : a;
        }
        int la = layers.indexOf(fa.layer());
        int lb = layers.indexOf(fb.layer());
        if (la != lb) {
            return la < lb ? a : b;
        }
        return fa.line() > fb.line() || (fa.line() == fb.line() && fa.column() > fb.column()) ? a : b;
    }

    private void problemAt(String key, String message) {
        Found f = found.get(key);
        problems.add(f != null ? f.problem(message) : new Diagnostic(layers.getFirst().file(), 0, 0, message));
    }

    /** How messages name a dotted key: as written, or as the built-in default it is. */
    private String nameOf(String key) {
        Found f = found.get(key);
        if (f != null) {
            return f.name();
        }
        String plain = key.replaceAll("\\[\\d+]$", "");
        int dot = plain.indexOf('.');
        return "[" + plain.substring(0, dot) + "] " + plain.substring(dot + 1) + " (default)";
    }
}
