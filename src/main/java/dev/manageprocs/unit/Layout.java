package dev.manageprocs.unit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a manager keeps its files, by mode (docs/paths.md). User mode follows the XDG base directories;
 * when XDG_RUNTIME_DIR is unset (su, cron, ssh without pam_systemd) the runtime dir falls back to
 * /tmp/manage-procs-UID, which the manager must create with mode 0700 and check it owns.
 */
public record Layout(Mode mode, Path configFile, Path unitDir, Path rundir, Path logdir) {

    public enum Mode { SYSTEM, USER }

    /** The control socket's default place: in the runtime dir. */
    public Path controlSocket() {
        return rundir.resolve("control.sock");
    }

    public static Layout system() {
        return new Layout(Mode.SYSTEM, Path.of("/etc/manage-procs/manager.toml"), Path.of("/etc/manage-procs/units"),
                Path.of("/run/manage-procs"), Path.of("/var/log/manage-procs"));
    }

    /** User mode from an environment and home directory (passed in, so tests can use a temp dir). */
    public static Layout user(Map<String, String> env, Path home, long uid) {
        Path config = xdg(env, "XDG_CONFIG_HOME").orElse(home.resolve(".config")).resolve("manage-procs");
        Path state = xdg(env, "XDG_STATE_HOME").orElse(home.resolve(".local/state")).resolve("manage-procs");
        Optional<Path> runtime = xdg(env, "XDG_RUNTIME_DIR"); // no lambda: the CLI's start-up path
        Path run = runtime.isPresent() ? runtime.get().resolve("manage-procs") : Path.of("/tmp/manage-procs-" + uid);
        return new Layout(Mode.USER, config.resolve("manager.toml"), config.resolve("units"), run, state.resolve("log"));
    }

    /** The layout of this process: the requested mode, else system for root and user for everybody else. */
    public static Layout forThisProcess(Optional<Mode> requested) {
        long uid;
        try {
            uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue(); // no JNA needed
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell who runs this process from /proc/self", e);
        }
        Mode mode = requested.orElse(uid == 0 ? Mode.SYSTEM : Mode.USER);
        return mode == Mode.SYSTEM ? system() : user(System.getenv(), Path.of(System.getProperty("user.home")), uid);
    }

    /** The XDG spec says to ignore relative values. */
    private static Optional<Path> xdg(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || !v.startsWith("/") ? Optional.empty() : Optional.of(Path.of(v));
    }
}
