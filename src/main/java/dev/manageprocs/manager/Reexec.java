package dev.manageprocs.manager;

import dev.manageprocs.access.Audit;
import dev.manageprocs.control.ControlServer;
import dev.manageprocs.control.ReexecMarker;
import dev.manageprocs.control.Response;
import dev.manageprocs.handoff.HandoffState;
import dev.manageprocs.handoff.Preflight;
import dev.manageprocs.handoff.Relaunch;
import dev.manageprocs.handoff.StateFile;
import dev.manageprocs.posix.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code daemon-reexec}: the manager execs the installed code in its own process, which adopts every unit
 * (docs/upgrade.md). In order: a trial state is written and the new code checks it can read it (the
 * preflight; on failure nothing has changed); the caller gets its answer; clients are told to wait (the
 * {@link ReexecMarker}, written before the answer) and the control socket stops accepting; on the event loop, so nothing moves in
 * between, the final state is written, exactly its fds are kept, and the process execs. Should the exec
 * itself fail, the loop carries on where it stopped and the control socket accepts again.
 */
final class Reexec {
    private static final Logger log = LoggerFactory.getLogger(Reexec.class);
    private static final Duration QUIESCE_LIMIT = Duration.ofSeconds(5);

    private final Manager manager;
    private final ControlServer server;
    private final SystemdNotifier systemd;
    private final String version;
    private final int generation;
    private final HandoffState.Config config;
    private final String runningStatus;
    private final AtomicBoolean underWay = new AtomicBoolean();

    Reexec(Manager manager, ControlServer server, SystemdNotifier systemd, String version, int generation,
            HandoffState.Config config, String runningStatus) {
        this.manager = manager;
        this.server = server;
        this.systemd = systemd;
        this.version = version;
        this.generation = generation;
        this.config = config;
        this.runningStatus = runningStatus;
    }

    /** The request; blocks for the preflight (about a second). Any thread. */
    Response request(String who) {
        if (!underWay.compareAndSet(false, true)) {
            return Response.error(Response.FAILED, "a re-exec of this manager is already under way; wait for it to finish");
        }
        boolean handedOff = false;
        try {
            Map<String, String> env = System.getenv();
            Relaunch relaunch;
            try {
                relaunch = Relaunch.ofThisProcess(env);
            } catch (IOException e) {
                return refuse(who, e.getMessage());
            }
            Path file = StateFile.in(manager.config().rundir());
            try {
                StateFile.write(file, state(who));
            } catch (IOException e) {
                return refuse(who, "the state cannot be written to " + file + " (" + e.getMessage() + ")");
            }
            String newVersion;
            switch (Preflight.run(relaunch, env, file)) {
                case Preflight.Result.Failed f -> {
                    deleteQuietly(file);
                    return refuse(who, f.why());
                }
                case Preflight.Result.Passed p -> newVersion = p.version();
            }
            Audit.LOG.info("manager re-exec (version {} -> {}) requested by {}", version, newVersion, who);
            try {
                // before the answer: a client that sees the answer always finds the marker until the outcome
                ReexecMarker.write(server.socket(), ProcessHandle.current().pid());
            } catch (IOException e) {
                deleteQuietly(file);
                return refuse(who, "the re-exec marker cannot be written beside " + server.socket() + " (" + e.getMessage() + ")");
            }
            Thread.ofPlatform().name("reexec").start(() -> execute(relaunch, env, file, who));
            handedOff = true;
            return Response.ok("re-executing manager pid " + ProcessHandle.current().pid() + ": version " + version
                    + " \u2192 " + newVersion + "\n");
        } finally {
            if (!handedOff) {
                underWay.set(false);
            }
        }
    }

    private Response refuse(String who, String why) {
        log.error("re-exec requested by {} not done: {}", who, why);
        return Response.error(Response.FAILED, "not re-executing: " + why + "; the manager and its units carry on"
                + " unchanged");
    }

    private HandoffState state(String who) {
        return new HandoffState(version, generation, who, System.nanoTime(), config, manager.reactor().call(manager::handoff));
    }

    /** After the reply: tell clients to wait, let the answers in progress finish, then exec on the loop. */
    private void execute(Relaunch relaunch, Map<String, String> env, Path file, String who) {
        Path socket = server.socket();
        try {
            if (!server.quiesce(QUIESCE_LIMIT)) {
                log.warn("re-exec: requests still being answered after {} s are cut off", QUIESCE_LIMIT.toSeconds());
            }
        } catch (InterruptedException e) {
            log.error("re-exec: cannot prepare ({}); carrying on with version {}", e.toString(), version);
            resume(socket, file);
            return;
        }
        systemd.reexecuting();
        // On the loop: from the final snapshot to the exec nothing else runs there, so no byte is read
        // from a terminal or a client after the state was taken. On success this task never returns.
        manager.reactor().execute(() -> {
            String failure;
            Set<Integer> kept = Set.of();
            try {
                HandoffState state = state(who);
                StateFile.write(file, state);
                kept = state.fds();
                Exec.keepOnly(kept);
                log.info("re-executing {} with {} units, keeping {} fds", String.join(" ", relaunch.argv()),
                        state.units().size(), kept.size());
                failure = Exec.execve(relaunch.path(), relaunch.argv(), Relaunch.environment(env, Relaunch.ADOPT, file));
            } catch (IOException | RuntimeException e) {
                failure = e.toString();
            }
            Exec.closeOnExecAgain(kept);
            log.error("re-exec failed ({}); carrying on with version {}", failure, version);
            Thread.ofPlatform().name("reexec-resume").start(() -> resume(socket, file));
        });
    }

    private void resume(Path socket, Path file) {
        deleteQuietly(file);
        try {
            server.start();
        } catch (IOException e) {
            log.error("the control socket cannot be bound again after the failed re-exec: {}", e.getMessage());
        }
        ReexecMarker.remove(socket);
        systemd.ready(runningStatus);
        underWay.set(false);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", file, e.getMessage());
        }
    }
}
