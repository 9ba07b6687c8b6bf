package dev.manageprocs.child;

import com.sun.jna.Memory;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.ProcessControl;
import dev.manageprocs.posix.Pty;
import dev.manageprocs.unit.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One running child: session and process-group leader on its own pty, spawned without fork() in the JVM.
 * Owns the pty master and a pidfd; the caller watches both (e.g. in the reactor) and calls {@link #reap()}
 * when the pidfd turns readable. Creates no threads and never blocks.
 */
public final class Child implements AutoCloseable {
    private final int pid;
    private final int masterFd;
    private final int pidFd;
    private final String ttyName;
    private final long startTime;
    private ExitStatus status;
    private boolean closed;

    private Child(int pid, int masterFd, int pidFd, String ttyName, long startTime) {
        this.pid = pid;
        this.masterFd = masterFd;
        this.pidFd = pidFd;
        this.ttyName = ttyName;
        this.startTime = startTime;
    }

    /** Starts spec.argv on a new pty; by the time this returns the command has been exec'd. */
    public static Child spawn(LaunchSpec spec) throws SpawnException {
        List<String> runAs = RunAs.prefix(spec.user(), spec.group());
        String command = Executable.resolve(spec.argv().get(0), spec);
        String path = command;
        List<String> argv = spec.argv();
        if (!runAs.isEmpty()) {
            // setpriv's exec failure would only show on the console: report the common ones here.
            Executable.check(command, spec);
            path = runAs.get(0);
            argv = new ArrayList<>(runAs);
            argv.addAll(spec.argv());
        }
        PtyMaster master = PtyMaster.open(spec.rows(), spec.cols());
        int pid;
        try {
            pid = PosixSpawn.spawn(spec, path, argv, master.slavePath());
        } catch (SpawnException | RuntimeException e) {
            LibC.close(master.fd());
            throw e;
        }
        // The child cannot be reaped by anyone else yet, so pid still names it (if only as a zombie).
        int pidFd = ProcessControl.pidfd_open(pid);
        if (pidFd < 0) {
            String error = LibC.lastError();
            ProcessControl.kill(-pid, Signal.KILL.number());
            ProcessControl.waitid(ProcessControl.P_PID, pid, ProcessControl.siginfo(), ProcessControl.WEXITED);
            LibC.close(master.fd());
            throw new SpawnException("cannot watch the new process " + pid + " (pidfd_open): " + error);
        }
        var startTime = ProcessIdentity.startTime(pid);
        Child child = new Child(pid, master.fd(), pidFd, master.slavePath(), startTime.orElse(0));
        if (startTime.isEmpty()) {
            // without it the pid file could not be told from a recycled pid after a crash
            child.abandon();
            throw new SpawnException("cannot read /proc/" + pid + "/stat of the new process; is /proc mounted?");
        }
        return child;
    }

    /**
     * The child a previous program of this same process spawned (a live re-exec kept its pty master and
     * pidfd open): it is still this process's child, so its exit is reaped here with its real status.
     * Throws when the pidfd no longer names the process with that start time (nothing is closed then).
     */
    public static Child adopt(int pid, int masterFd, int pidFd, String ttyName, long startTime) throws SpawnException {
        long now = ProcessIdentity.startTime(pid).orElse(-1);
        if (now != startTime) {
            // not reaped yet, so the pid cannot have been reused: only a foreign fd table could get here
            throw new SpawnException("process " + pid + " is not the child that was handed over (start time "
                    + now + ", expected " + startTime + ")");
        }
        return new Child(pid, masterFd, pidFd, ttyName, startTime);
    }

    public int pid() {
        return pid;
    }

    /** The pty master, O_NONBLOCK | O_CLOEXEC; closed by {@link #close()}. */
    public int masterFd() {
        return masterFd;
    }

    /** Readable (EPOLLIN) once the child has exited; closed by {@link #close()}. */
    public int pidFd() {
        return pidFd;
    }

    /** The slave's path, "/dev/pts/N". */
    public String ttyName() {
        return ttyName;
    }

    /** Field 22 of /proc/pid/stat at spawn: with the pid, identifies this process across pid reuse. */
    public long startTime() {
        return startTime;
    }

    /**
     * Sends s to the child's whole process group, grandchildren included, even after the child itself is
     * gone; false when the group has no process left.
     */
    public boolean signalGroup(Signal s) {
        if (ProcessControl.kill(-pid, s.number()) == 0) {
            return true;
        }
        int err = LibC.errno();
        if (err == LibC.ESRCH) {
            return false;
        }
        throw new IllegalStateException("cannot send " + s.name() + " to process group " + pid + ": "
                + LibC.strerror(err));
    }

    /** The exit status once the child has ended (and from then on the same one); empty while it runs. */
    public synchronized Optional<ExitStatus> reap() {
        if (status != null) {
            return Optional.of(status);
        }
        if (closed) {
            throw new IllegalStateException("child " + pid + " was closed before it was reaped");
        }
        Memory info = ProcessControl.siginfo();
        while (ProcessControl.waitid(ProcessControl.P_PIDFD, pidFd, info,
                ProcessControl.WEXITED | ProcessControl.WNOHANG) != 0) {
            if (LibC.errno() != LibC.EINTR) {
                throw new IllegalStateException("cannot reap child " + pid + ": " + LibC.lastError());
            }
        }
        if (info.getInt(ProcessControl.SI_PID) == 0) {
            return Optional.empty();
        }
        int code = info.getInt(ProcessControl.SI_CODE);
        int value = info.getInt(ProcessControl.SI_STATUS);
        status = code == ProcessControl.CLD_EXITED ? ExitStatus.exited(value)
                : ExitStatus.killed(Signal.of(value), code == ProcessControl.CLD_DUMPED);
        return Optional.of(status);
    }

    /**
     * For a child the caller cannot supervise after all (setting up its watch failed): SIGKILL to its
     * process group, wait for it to end (a SIGKILLed process ends at once), then {@link #close()}.
     */
    public void abandon() {
        ProcessControl.kill(-pid, Signal.KILL.number());
        Memory info = ProcessControl.siginfo();
        while (status == null && ProcessControl.waitid(ProcessControl.P_PIDFD, pidFd, info, ProcessControl.WEXITED) != 0
                && LibC.errno() == LibC.EINTR) {
            // interrupted: wait again
        }
        close();
    }

    /** Sets the terminal size; the kernel sends SIGWINCH to the foreground process group. */
    public synchronized void resize(int rows, int cols) {
        if (rows < 0 || rows > 0xFFFF || cols < 0 || cols > 0xFFFF) {
            throw new IllegalArgumentException("terminal size " + rows + "x" + cols + " is not within 0..65535");
        }
        if (closed) {
            throw new IllegalStateException("child " + pid + " is closed");
        }
        if (Pty.setWindowSize(masterFd, rows, cols) != 0) {
            throw new IllegalStateException("cannot resize the terminal of child " + pid + ": " + LibC.lastError());
        }
    }

    /** Closes the master and the pidfd; sends no signal. Reap first, or the child stays a zombie. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.close(masterFd);
            LibC.close(pidFd);
        }
    }

    @Override
    public String toString() {
        return "child " + pid + " on " + ttyName;
    }
}
