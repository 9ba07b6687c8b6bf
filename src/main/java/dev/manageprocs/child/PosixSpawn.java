package dev.manageprocs.child;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.posix.Rlimit;
import dev.manageprocs.posix.Spawn;
import dev.manageprocs.unit.CoreSize;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One posix_spawn(3) of a session leader on a pty: new session, clean signal state, cwd, the slave as
 * fds 0-2 (and thereby as controlling tty), no other inherited fd. glibc clones with CLONE_VFORK, so it
 * returns after the exec and reports a failed chdir, open or exec as an error number.
 */
final class PosixSpawn {
    /**
     * umask and RLIMIT_CORE have no spawn attribute. They are set in this process just around the spawn,
     * which the clone inherits, and restored right after; this lock keeps concurrent spawns from mixing
     * them up. The window is one posix_spawn call, and the manager creates its own files with explicit
     * modes, so briefly changing the JVM's umask is harmless. (Wrapping the command in a shell instead
     * would hide exec errors from the caller.)
     */
    private static final Object INHERITED_STATE = new Object();

    private PosixSpawn() {
    }

    /** Spawns {@code path} with {@code argv} (argv[0] included) as described by spec; returns the pid. */
    static int spawn(LaunchSpec spec, String path, List<String> argv, String slavePath) throws SpawnException {
        Memory attr = new Memory(Spawn.ATTR_SIZE);
        Memory actions = new Memory(Spawn.FILE_ACTIONS_SIZE);
        check(Spawn.posix_spawnattr_init(attr), "posix_spawnattr_init");
        check(Spawn.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try {
            Memory empty = Spawn.sigset();
            Memory all = Spawn.sigset();
            Spawn.sigemptyset(empty);
            // Every signal 1..64 back to default (the JVM ignores some). glibc's sigfillset/sigaddset refuse its
            // internal signals 32 and 33, which posix_spawn would then leave ignored in the child, so the
            // first 64 bits (bit n-1 = signal n) are set directly.
            Spawn.sigemptyset(all);
            all.setLong(0, -1L);
            check(Spawn.posix_spawnattr_setflags(attr, (short) (Spawn.POSIX_SPAWN_SETSID
                    | Spawn.POSIX_SPAWN_SETSIGMASK | Spawn.POSIX_SPAWN_SETSIGDEF)), "posix_spawnattr_setflags");
            check(Spawn.posix_spawnattr_setsigmask(attr, empty), "posix_spawnattr_setsigmask");
            check(Spawn.posix_spawnattr_setsigdefault(attr, all), "posix_spawnattr_setsigdefault");

            check(Spawn.posix_spawn_file_actions_addchdir_np(actions, cString(spec.chdir().toString())), "addchdir_np");
            // Opened without O_NOCTTY by a session leader with no controlling tty: it becomes the controlling tty.
            check(Spawn.posix_spawn_file_actions_addopen(actions, 0, cString(slavePath), LibC.O_RDWR, 0), "addopen");
            check(Spawn.posix_spawn_file_actions_adddup2(actions, 0, 1), "adddup2");
            check(Spawn.posix_spawn_file_actions_adddup2(actions, 0, 2), "adddup2");
            check(Spawn.posix_spawn_file_actions_addclosefrom_np(actions, 3), "addclosefrom_np");

            Memory argvC = cStringArray(argv);
            Memory envC = cStringArray(spec.environment().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
            int[] pid = new int[1];
            int err;
            synchronized (INHERITED_STATE) {
                err = withInheritedState(spec.umask(), spec.coreSize(),
                        () -> Spawn.posix_spawn(pid, cString(path), actions, attr, argvC, envC));
            }
            if (err != 0) {
                throw failure(spec, path, err);
            }
            return pid[0];
        } finally {
            Spawn.posix_spawn_file_actions_destroy(actions);
            Spawn.posix_spawnattr_destroy(attr);
        }
    }

    @FunctionalInterface
    private interface NativeCall {
        int call();
    }

    private static int withInheritedState(OptionalInt umask, Optional<CoreSize> coreSize, NativeCall spawn)
            throws SpawnException {
        Memory oldCore = null;
        if (coreSize.isPresent()) {
            oldCore = new Memory(16);
            if (Rlimit.prlimit(0, Rlimit.RLIMIT_CORE, null, oldCore) != 0) {
                throw new IllegalStateException("cannot read RLIMIT_CORE: " + LibC.lastError());
            }
            long wanted = coreSize.get().unlimited() ? Rlimit.RLIM_INFINITY : coreSize.get().bytes();
            long hard = Rlimit.hard(oldCore);
            if (Long.compareUnsigned(wanted, hard) > 0) {
                throw new SpawnException("core_size " + coreSize.get() + " is above the manager's hard limit of "
                        + hard + " bytes; lower 'core_size' or raise the manager's limit (LimitCORE= of its service)");
            }
            if (Rlimit.prlimit(0, Rlimit.RLIMIT_CORE, Rlimit.limit(wanted, hard), null) != 0) {
                throw new SpawnException("cannot set core_size " + coreSize.get() + ": " + LibC.lastError());
            }
        }
        int oldUmask = umask.isPresent() ? LibC.umask(umask.getAsInt()) : -1;
        try {
            return spawn.call();
        } finally {
            if (oldUmask >= 0) {
                LibC.umask(oldUmask);
            }
            if (oldCore != null) {
                Rlimit.prlimit(0, Rlimit.RLIMIT_CORE, oldCore, null);
            }
        }
    }

    /** chdir and exec both fail with errors like ENOENT: the directory is to blame if it is not usable now. */
    private static SpawnException failure(LaunchSpec spec, String path, int err) {
        if (!Files.isDirectory(spec.chdir()) || !Files.isExecutable(spec.chdir())) {
            return new SpawnException("cannot change directory to " + spec.chdir() + ": " + LibC.strerror(err));
        }
        return Executable.cannotExecute(path, spec, err);
    }

    private static void check(int err, String call) {
        if (err != 0) {
            throw new IllegalStateException(call + " failed: " + LibC.strerror(err));
        }
    }

    /**
     * A NULL-terminated char* array and its NUL-terminated UTF-8 strings in one native block. JNA's
     * StringArray allocates (and registers for cleaning) one block per string: with an environment of
     * fifty variables and a unit restarting at full speed, that garbage drove frequent GC pauses that
     * every other unit's console felt.
     */
    private static Memory cStringArray(List<String> strings) {
        byte[][] encoded = new byte[strings.size()][];
        long table = (long) (strings.size() + 1) * Native.POINTER_SIZE;
        long size = table;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
            size += encoded[i].length + 1;
        }
        Memory block = new Memory(size);
        long base = Pointer.nativeValue(block);
        long at = table;
        for (int i = 0; i < encoded.length; i++) {
            block.setPointer((long) i * Native.POINTER_SIZE, new Pointer(base + at));
            block.write(at, encoded[i], 0, encoded[i].length);
            block.setByte(at + encoded[i].length, (byte) 0);
            at += encoded[i].length + 1;
        }
        block.setPointer(table - Native.POINTER_SIZE, null);
        return block;
    }

    /** NUL-terminated UTF-8, independent of the JVM's locale. */
    private static byte[] cString(String s) {
        return Native.toByteArray(s, StandardCharsets.UTF_8);
    }
}
