package dev.manageprocs.child;

import dev.manageprocs.unit.CoreSize;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything needed to start one child, fully resolved: {@code environment} is the child's complete
 * environment (nothing is inherited from the manager), {@code rows}/{@code cols} the initial pty size.
 */
public record LaunchSpec(List<String> argv, Path chdir, Map<String, String> environment,
        OptionalInt umask, Optional<CoreSize> coreSize, Optional<String> user, Optional<String> group,
        int rows, int cols) {

    public LaunchSpec {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv is empty");
        }
        // Strings cross into C: a NUL would silently cut them short.
        argv.forEach(a -> requireNoNul("argument", a));
        environment.forEach((k, v) -> {
            requireNoNul("environment variable", k + v);
            if (k.isEmpty() || k.indexOf('=') >= 0) {
                throw new IllegalArgumentException("environment variable name '" + k + "' is empty or contains '='");
            }
        });
        requireNoNul("chdir", chdir.toString());
        if (rows < 0 || rows > 0xFFFF || cols < 0 || cols > 0xFFFF) {
            throw new IllegalArgumentException("terminal size " + rows + "x" + cols + " is not within 0..65535");
        }
    }

    private static void requireNoNul(String what, String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character: " + s.replace('\0', '?'));
        }
    }
}
