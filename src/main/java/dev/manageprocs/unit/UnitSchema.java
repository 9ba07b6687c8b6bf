package dev.manageprocs.unit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tomlj.TomlTable;

/**
 * Which keys a unit file (or manager.toml's [defaults]) may contain, and where. Checks the shape only:
 * unknown keys, and tables that are not tables; the values are typed by {@link UnitReader}.
 */
final class UnitSchema {

    /** LEAF: a value. TABLE: known keys. FREE: any keys (env). UNIT_ONLY: allowed in unit files, not in [defaults]. */
    enum Kind { LEAF, TABLE, FREE, UNIT_ONLY }

    record Node(Kind kind, Map<String, Node> keys, String example) {
    }

    private static final Node LEAF = new Node(Kind.LEAF, Map.of(), "");

    static final Node UNIT = schema(true);
    static final Node DEFAULTS = schema(false);
    static final Node MANAGER = manager();

    private UnitSchema() {
    }

    private static Node schema(boolean unit) {
        Node unitOnly = unit ? LEAF : new Node(Kind.UNIT_ONLY, Map.of(), "");
        Map<String, Node> process = new LinkedHashMap<>();
        process.put("command", unitOnly);
        process.put("chdir", LEAF);
        process.put("env", new Node(Kind.FREE, Map.of(), "{ EPICS_CA_SERVER_PORT = \"5064\" }"));
        for (String k : List.of("env_file", "user", "group", "umask", "core_size", "stop_signal", "stop_timeout",
                "kill_signal")) {
            process.put(k, LEAF);
        }
        Map<String, Node> keys = new LinkedHashMap<>();
        for (String k : List.of("kill", "toggle", "restart", "quit", "logout")) {
            keys.put(k, LEAF);
        }
        Map<String, Node> console = new LinkedHashMap<>();
        for (String k : List.of("listen", "log_listen", "allow_remote", "log_group")) {
            console.put(k, LEAF);
        }
        console.put("keys", new Node(Kind.TABLE, keys, "{ kill = \"^X\", logout = \"^D\" }"));
        for (String k : List.of("ignore", "history", "banner")) {
            console.put(k, LEAF);
        }
        Map<String, Node> top = new LinkedHashMap<>();
        top.put("description", unitOnly);
        top.put("host", unitOnly);
        top.put("process", section(process, "process"));
        top.put("restart", section(leaves("mode", "holdoff", "max_restarts", "window", "autostart"), "restart"));
        top.put("console", section(console, "console"));
        top.put("log", section(leaves("file", "timestamp", "timestamp_format", "max_size", "keep"), "log"));
        return new Node(Kind.TABLE, top, "");
    }

    /** manager.toml; its [defaults] is checked against DEFAULTS separately. */
    private static Node manager() {
        Map<String, Node> top = leaves("unit_dirs", "rundir", "logdir", "control_socket", "control_group",
                "upgrade");
        top.put("defaults", new Node(Kind.FREE, Map.of(), "a [defaults] section"));
        return new Node(Kind.TABLE, top, "");
    }

    private static Node section(Map<String, Node> keys, String name) {
        return new Node(Kind.TABLE, keys, "a [" + name + "] section");
    }

    private static Map<String, Node> leaves(String... names) {
        Map<String, Node> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, LEAF);
        }
        return m;
    }

    /** Adds a problem for every key of layer's table that the schema does not allow there. */
    static void check(Layer layer, Node schema, List<Diagnostic> problems) {
        check(layer, layer.table(), schema, schema, new ArrayList<>(), problems);
    }

    private static void check(Layer layer, TomlTable table, Node node, Node root, List<String> path,
            List<Diagnostic> problems) {
        for (String key : table.keySet()) {
            path.add(key);
            Node child = node.keys().get(key);
            Object value = table.get(List.of(key));
            if (child == null) {
                Found f = layer.found(path, value);
                problems.add(f.problem(unknown(layer, root, path, node)));
            } else if (child.kind() == Kind.UNIT_ONLY) {
                problems.add(layer.found(path, value).problem(layer.name(path)
                        + " is only allowed in unit files; move it to the unit files that need it"));
            } else if (child.kind() == Kind.TABLE || child.kind() == Kind.FREE) {
                if (value instanceof TomlTable sub) {
                    if (child.kind() == Kind.TABLE) {
                        check(layer, sub, child, root, path, problems);
                    }
                } else {
                    Found f = layer.found(path, value);
                    problems.add(f.problem(layer.name(path) + " must be a table, like " + child.example() + ", not "
                            + Found.typeOf(value)));
                }
            }
            path.removeLast();
        }
    }

    private static String unknown(Layer layer, Node root, List<String> path, Node node) {
        String key = path.getLast();
        List<String> parent = path.subList(0, path.size() - 1);
        String where = layer.tableName(parent);
        Optional<List<String>> home = homeOf(key, root, new ArrayList<>());
        if (home.isPresent() && home.get().isEmpty() && layer.prefix().isEmpty()) {
            return "key '" + key + "' belongs at the top level, not in " + where + "; move it above the first [section]"
                    + " header";
        }
        if (home.isPresent() && !home.get().isEmpty()) {
            String section = layer.tableName(home.get());
            return "key '" + key + "' belongs in " + section + ", not " + (parent.isEmpty() ? "at " : "in ") + where
                    + "; move it below the " + section + " header";
        }
        String in = parent.isEmpty() ? "" : " in " + where;
        if (parent.isEmpty() && layer.table().get(List.of(key)) instanceof TomlTable) {
            List<String> sections = node.keys().entrySet().stream()
                    .filter(e -> e.getValue().kind() == Kind.TABLE).map(Map.Entry::getKey).toList();
            return NearestKey.to(key, sections)
                    .map(k -> "unknown section " + layer.tableName(path) + "; did you mean " + layer.tableName(List.of(k))
                            + "?")
                    .orElseGet(() -> "unknown section " + layer.tableName(path) + "; valid sections are "
                            + String.join(", ", sections.stream().map(k -> layer.tableName(List.of(k))).toList()));
        }
        return NearestKey.to(key, node.keys().keySet())
                .map(k -> "unknown key '" + key + "'" + in + "; did you mean '" + k + "'?")
                .orElseGet(() -> "unknown key '" + key + "'" + in + "; valid keys are "
                        + String.join(", ", node.keys().keySet()));
    }

    /** The table path where key is a valid leaf, if any (for keys written under the wrong header). */
    private static Optional<List<String>> homeOf(String key, Node node, List<String> path) {
        for (var e : node.keys().entrySet()) {
            if (e.getKey().equals(key) && e.getValue().kind() != Kind.TABLE) {
                return Optional.of(List.copyOf(path));
            }
            if (e.getValue().kind() == Kind.TABLE) {
                path.add(e.getKey());
                Optional<List<String>> found = homeOf(key, e.getValue(), path);
                path.removeLast();
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
