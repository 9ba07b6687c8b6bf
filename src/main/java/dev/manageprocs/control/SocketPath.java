package dev.manageprocs.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * Where the client finds the manager's control socket (DESIGN §4): by mode, or {@code control_socket}
 * from the manager config given with --config. Kept free of JNA and logging so the client starts fast.
 */
public record SocketPath(Path path, boolean system) {
    public static final Path SYSTEM = Path.of("/run/manage-procs/control.sock");

    /** A problem the user must fix before any command can reach the manager; the message is one sentence. */
    public static final class Unresolvable extends Exception {
        private static final long serialVersionUID = 1L;

        Unresolvable(String message) {
            super(message);
        }
    }

    /**
     * @param user   --user given
     * @param system --system given (both is a usage error the caller reports first)
     * @param config --config, when given: its {@code control_socket} wins over the mode's default
     */
    public static SocketPath resolve(boolean user, boolean system, Optional<Path> config, Map<String, String> env)
            throws Unresolvable {
        boolean systemMode = system || (!user && effectiveUid() == 0);
        if (config.isPresent()) {
            Optional<Path> configured = fromConfig(config.get());
            if (configured.isPresent()) {
                return new SocketPath(configured.get(), systemMode);
            }
        }
        if (systemMode) {
            return new SocketPath(SYSTEM, true);
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime == null || runtime.isEmpty()) {
            throw new Unresolvable("XDG_RUNTIME_DIR is not set, so the per-user control socket has no place; "
                    + "log in through a session that sets it, export XDG_RUNTIME_DIR=/run/user/"
                    + effectiveUid() + ", or use --system");
        }
        return new SocketPath(Path.of(runtime, "manage-procs", "control.sock"), false);
    }

    /** How to get a manager running in this mode, for the "no manager" sentence. */
    public String startHint() {
        return system
                ? "start one with 'manage-procs --system daemon' (or 'systemctl start manage-procs')"
                : "start one with 'manage-procs daemon' (or 'systemctl --user start manage-procs')";
    }

    private static Optional<Path> fromConfig(Path config) throws Unresolvable {
        TomlParseResult toml;
        try {
            toml = Toml.parse(config);
        } catch (NoSuchFileException e) {
            throw new Unresolvable(config + ": no such file; check the path given to --config");
        } catch (IOException e) {
            throw new Unresolvable(config + ": cannot be read (" + e.getMessage() + ")");
        }
        if (toml.hasErrors()) {
            var error = toml.errors().get(0);
            throw new Unresolvable(config + ":" + error.position().line() + ":" + error.position().column()
                    + ": " + error.getMessage() + "; fix the file or give another --config");
        }
        Object value = toml.get("control_socket");
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s) || s.isEmpty()) {
            throw new Unresolvable(config + ": control_socket must be a non-empty string path");
        }
        Path p = Path.of(s);
        return Optional.of(p.isAbsolute() ? p : config.toAbsolutePath().getParent().resolve(p));
    }

    /** The effective uid from /proc/self/status: no native call needed on the client's path. */
    static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux or /proc missing: fall through to the conservative answer.
        }
        return -1;
    }
}
