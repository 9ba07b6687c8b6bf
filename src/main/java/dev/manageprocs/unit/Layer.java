package dev.manageprocs.unit;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * One TOML table a unit's values come from: the unit file itself (prefix ""), or manager.toml's
 * {@code [defaults]} (prefix "defaults."). Relative paths in its values resolve against baseDir;
 * lines is the source text, to correct element positions.
 */
record Layer(TomlTable table, Path file, Path baseDir, String prefix, List<String> lines) {

    Layer {
        lines = List.copyOf(lines);
    }

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

    /**
     * The first character of a value at or after line:column, skipping blanks, line breaks and
     * comments: tomlj places an array element that starts a line at the end of the line before.
     */
    int[] valueStart(int line, int column) {
        for (int l = line, c = column; l >= 1 && l <= lines.size(); l++, c = 1) {
            String s = lines.get(l - 1);
            int i = Math.max(0, c - 1);
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r')) {
                i++;
            }
            if (i < s.length() && s.charAt(i) != '#') {
                return new int[] {l, i + 1};
            }
        }
        return new int[] {line, column};
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
