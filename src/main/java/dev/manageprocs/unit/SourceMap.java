package dev.manageprocs.unit;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where each value of a parsed unit was written, so that checks made later (clashes between units)
 * point at the right line. Keys are dotted paths as in the unit file: "console.listen[1]",
 * "restart.holdoff", "process.env.FOO". Values taken from manager.toml's [defaults] point there;
 * built-in defaults have no entry.
 */
public record SourceMap(Path file, Map<String, Location> locations) {

    public SourceMap {
        locations = Map.copyOf(locations);
    }

    /** One written value: file (as given by the user), 1-based line and column, and the key as messages name it. */
    public record Location(Path file, int line, int column, String name) {
    }

    public Optional<Location> locate(String key) {
        return Optional.ofNullable(locations.get(key));
    }

    /** A diagnostic at key, or at the unit file itself when the key was not written anywhere. */
    public Diagnostic diagnostic(String key, String message) {
        return locate(key)
                .map(l -> new Diagnostic(l.file(), l.line(), l.column(), message))
                .orElseGet(() -> new Diagnostic(file, 0, 0, message));
    }
}
