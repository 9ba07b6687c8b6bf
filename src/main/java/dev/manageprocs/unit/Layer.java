package dev.manageprocs.unit;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * One TOML table a unit's values come from: the unit file itself (prefix ""), or manager.toml's
 * {@code [defaults]} (prefix "defaults."). Relative paths in its values resolve against baseDir.
 */
record Layer(TomlTable table, Path file, Path baseDir, String prefix) {

    /** The value at path (section, key, ...), if every table on the way exists. */
    Optional<Found> find(List<String> path) {
        TomlTable t = table;
        for (int i = 0; i < path.size() - 1; i++) {
            if (!(t.get(List.of(path.get(i))) instanceof TomlTable sub)) {
                return Optional.empty();
            }
            t = sub;
        }
        Object raw = t.get(List.of(path.getLast()));
        return raw == null ? Optional.empty() : Optional.of(found(path, raw));
    }

    Found found(List<String> path, Object raw) {
        TomlPosition p = table.inputPositionOf(path);
        return new Found(raw, this, name(path), p == null ? 0 : p.line(), p == null ? 0 : p.column());
    }

    /** How messages name a key: "description", "[restart] holdoff", "[console] keys.kill", "[defaults.log] keep". */
    String name(List<String> path) {
        if (path.size() == 1) {
            return prefix.isEmpty() ? path.getFirst() : "[" + prefix.substring(0, prefix.length() - 1) + "] " + path.getFirst();
        }
        return "[" + prefix + path.getFirst() + "] " + String.join(".", path.subList(1, path.size()));
    }

    /** How messages name a table: "the top level", "[process]", "[defaults.console.keys]". */
    String tableName(List<String> path) {
        if (path.isEmpty()) {
            return prefix.isEmpty() ? "the top level" : "[" + prefix.substring(0, prefix.length() - 1) + "]";
        }
        return "[" + prefix + String.join(".", path) + "]";
    }
}
