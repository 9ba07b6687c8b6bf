package dev.manageprocs.manager;

import dev.manageprocs.child.ProcessIdentity;
import dev.manageprocs.posix.Epoll;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.ProcessControl;
import dev.manageprocs.unit.Durations;
import dev.manageprocs.unit.ProcessSpec;
import dev.manageprocs.unit.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Children that a crashed manager left running. A child that ignores SIGHUP outlives its manager;
 * starting the unit again would run a second IOC beside it. The pid file alone is never trusted: the
 * pid counts only while its process started when the pid file was written (within a few seconds),
 * so a recycled pid is left alone (docs/paths.md, "The pid file").
 */
final class Orphans {
    private static final Logger log = LoggerFactory.getLogger(Orphans.class);
    /** The pid file is written right after the spawn; allow for a slow disk and clock granularity. */
    private static final Duration SAME_START = Duration.ofSeconds(3);

    private Orphans() {
    }

    /** The live child recorded in {@code <unitRunDir>/pid}, if it is still the process that was started. */
    static OptionalInt find(Path unitRunDir) {
        Path pidFile = unitRunDir.resolve("pid");
        OptionalInt pid = dev.manageprocs.sidecar.RunDir.readPid(unitRunDir);
        if (pid.isEmpty()) {
            return OptionalInt.empty();
        }
        Optional<Instant> started = ProcessIdentity.startedAt(pid.getAsInt());
        Instant written;
        try {
            written = Files.getLastModifiedTime(pidFile).toInstant();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        boolean same = started.isPresent()
                && Duration.between(started.get(), written).abs().compareTo(SAME_START) <= 0;
        return same ? pid : OptionalInt.empty();
    }

    /**
     * Stops an orphan's process group like a unit stop (stop_signal, SIGKILL after stop_timeout) and
     * waits for it. Runs at start-up, before the unit is loaded, off the event loop.
     */
    static void stop(String unit, int pid, ProcessSpec process) {
        log.warn("{}: child pid {} of a previous manager is still running; stopping its process group ({}, "
                + "SIGKILL after {}) before starting the unit", unit, pid, process.stopSignal(),
                Durations.format(process.stopTimeout()));
        int pidfd = ProcessControl.pidfd_open(pid);
        try {
            ProcessControl.kill(-pid, process.stopSignal().number());
            if (!exited(pidfd, process.stopTimeout())) {
                log.warn("{}: orphan pid {} did not stop within {}; sending SIGKILL", unit, pid,
                        Durations.format(process.stopTimeout()));
                ProcessControl.kill(-pid, Signal.KILL.number());
                exited(pidfd, Duration.ofSeconds(5));
            }
        } finally {
            if (pidfd >= 0) {
                LibC.close(pidfd);
            }
        }
    }

    /** Waits on the pidfd (readable once the process is gone); true when it exited in time. */
    private static boolean exited(int pidfd, Duration timeout) {
        return pidfd < 0 || Epoll.awaitReadable(pidfd, timeout); // no pidfd: it was already gone when we looked
    }
}
