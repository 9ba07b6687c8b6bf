package dev.manageprocs.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real manager started with the packaged launcher ({@code bin/manage-procs --user daemon}) in a
 * temporary XDG tree, and the CLI run against it as a separate process: what an operator does.
 */
public final class ManagerProcess implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(30);

    /** What one CLI run printed and returned. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public final Path root;
    public final Path unitDir;
    public final Path runDir;
    public final Path logDir;
    public final Path managerLog;
    private final Process daemon;

    /** Starts a manager whose unit dir is {@code root/config/manage-procs/units}. */
    public ManagerProcess(Path root) throws IOException {
        this(root, Map.of());
    }

    /** The same with extra environment variables for the manager (NOTIFY_SOCKET, say). */
    public ManagerProcess(Path root, Map<String, String> extraEnv) throws IOException {
        this.root = root;
        unitDir = Files.createDirectories(root.resolve("config/manage-procs/units"));
        runDir = root.resolve("run/manage-procs");
        logDir = root.resolve("state/manage-procs/log");
        managerLog = root.resolve("manager.out");
        Files.createDirectories(root.resolve("run"));
        ProcessBuilder pb = new ProcessBuilder(launcher().toString(), "--user", "daemon")
                .redirectErrorStream(true)
                .redirectOutput(managerLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        environment(pb.environment());
        pb.environment().putAll(extraEnv);
        daemon = pb.start();
        Eventually.await("the manager to answer (log: " + managerLog + ")", WAIT,
                () -> !daemon.isAlive() || Files.exists(runDir.resolve("control.sock")) && cli("status").exit() == 0);
        assertTrue(daemon.isAlive(), () -> "the manager exited at start:\n" + managerOutput());
    }

    public static Path launcher() {
        return Path.of(System.getProperty("manageprocs.home", ".")).resolve("bin/manage-procs");
    }

    /** The environment a CLI run against this manager needs (XDG directories, the jar under test). */
    public Map<String, String> environment() {
        Map<String, String> env = new java.util.HashMap<>();
        environment(env);
        return env;
    }

    private void environment(Map<String, String> env) {
        env.put("XDG_CONFIG_HOME", root.resolve("config").toString());
        env.put("XDG_STATE_HOME", root.resolve("state").toString());
        env.put("XDG_RUNTIME_DIR", root.resolve("run").toString());
        String jar = System.getProperty("manageprocs.jar");
        if (jar != null) {
            env.put("MANAGE_PROCS_JAR", jar);
        }
    }

    /** Runs {@code manage-procs --user ARGS...} to completion, stdin from /dev/null. */
    public Result cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString(), "--user"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        environment(pb.environment());
        try {
            Process p = pb.start();
            // read both streams fully before waiting: a large reply must not block the client
            var out = p.getInputStream();
            var err = p.getErrorStream();
            byte[] o = out.readAllBytes();
            byte[] e = err.readAllBytes();
            assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "manage-procs " + String.join(" ", args) + " hung");
            return new Result(p.exitValue(), new String(o, StandardCharsets.UTF_8), new String(e, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a CLI run without waiting for it (stdout and stderr merged), for requests that take a while. */
    public Process cliProcess(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString(), "--user"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        environment(pb.environment());
        return pb.start();
    }

    /** Writes a unit file straight into the unit dir (as an administrator editing files would). */
    public Path writeUnit(String name, String toml) throws IOException {
        return Files.writeString(unitDir.resolve(name + ".toml"), toml);
    }

    public String managerOutput() {
        try {
            return Files.readString(managerLog);
        } catch (IOException e) {
            return "(no manager output: " + e.getMessage() + ")";
        }
    }

    public long pid() {
        return daemon.pid();
    }

    public boolean alive() {
        return daemon.isAlive();
    }

    /** SIGTERM, then waits for the exit code. */
    public int terminate() throws InterruptedException {
        daemon.toHandle().destroy();
        assertTrue(daemon.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the manager did not exit on SIGTERM");
        return daemon.exitValue();
    }

    /** SIGKILL: the manager dies without cleaning up, as in a crash. */
    public void crash() throws InterruptedException {
        daemon.destroyForcibly();
        assertTrue(daemon.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the manager survived SIGKILL");
    }

    @Override
    public void close() throws InterruptedException {
        if (daemon.isAlive()) {
            terminate();
        }
    }
}
