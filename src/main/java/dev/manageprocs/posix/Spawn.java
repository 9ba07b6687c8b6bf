package dev.manageprocs.posix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * posix_spawn(3) with its attributes and file actions (glibc >= 2.34 for addclosefrom_np). Every function
 * returns 0 or an errno value; none of them sets errno.
 */
public final class Spawn {
    static {
        Native.register(Spawn.class, NativeLibrary.getInstance("c"));
    }

    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    public static final short POSIX_SPAWN_SETSID = 0x80;

    // glibc x86_64/aarch64 sizes of posix_spawnattr_t, posix_spawn_file_actions_t and sigset_t.
    public static final int ATTR_SIZE = 336;
    public static final int FILE_ACTIONS_SIZE = 80;
    public static final int SIGSET_SIZE = 128;

    private Spawn() {
    }

    /** Paths are NUL-terminated UTF-8 bytes; argv and envp are NULL-terminated char* arrays. */
    public static native int posix_spawn(int[] pid, byte[] path, Pointer fileActions, Pointer attr,
            Pointer argv, Pointer envp);

    public static native int posix_spawnattr_init(Pointer attr);

    public static native int posix_spawnattr_destroy(Pointer attr);

    public static native int posix_spawnattr_setflags(Pointer attr, short flags);

    public static native int posix_spawnattr_setsigmask(Pointer attr, Pointer sigmask);

    public static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigdefault);

    public static native int posix_spawn_file_actions_init(Pointer actions);

    public static native int posix_spawn_file_actions_destroy(Pointer actions);

    public static native int posix_spawn_file_actions_addchdir_np(Pointer actions, byte[] path);

    public static native int posix_spawn_file_actions_addopen(Pointer actions, int fd, byte[] path, int oflag,
            int mode);

    public static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

    public static native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    /** Sets errno (returns -1) on error, unlike the functions above. */
    public static native int sigemptyset(Pointer set);

    public static Memory sigset() {
        return new Memory(SIGSET_SIZE);
    }
}
