package dev.manageprocs.posix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * User and group database lookups (passwd, group, NSS included) through the reentrant libc calls,
 * so concurrent lookups from many threads are safe. Linux, 64-bit struct layouts.
 */
public final class Accounts {
    static {
        Native.register(Accounts.class, NativeLibrary.getInstance("c"));
    }

    /** One passwd entry. */
    public record User(String name, int uid, int gid, String home, String shell) {
    }

    /** One group entry; {@code members} are the supplementary members listed in the group database. */
    public record Group(String name, int gid, List<String> members) {
    }

    private static final int ERANGE = 34;
    // struct passwd: char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; char *pw_gecos; char *pw_dir; char *pw_shell;
    private static final int PASSWD_SIZE = 48;
    // struct group: char *gr_name; char *gr_passwd; gid_t gr_gid; (pad) char **gr_mem;
    private static final int GROUP_SIZE = 32;
    private static final int FIRST_BUFFER = 4096;
    private static final int MAX_BUFFER = 1 << 20;

    private Accounts() {
    }

    private static native int getpwnam_r(String name, Pointer pwd, Pointer buf, long buflen, Pointer result);

    private static native int getpwuid_r(int uid, Pointer pwd, Pointer buf, long buflen, Pointer result);

    private static native int getgrnam_r(String name, Pointer grp, Pointer buf, long buflen, Pointer result);

    private static native int getgrgid_r(int gid, Pointer grp, Pointer buf, long buflen, Pointer result);

    private static native int getgrouplist(String user, int group, Pointer groups, Pointer ngroups);

    public static Optional<User> user(String name) {
        return lookup(PASSWD_SIZE, (entry, buf, len, result) -> getpwnam_r(name, entry, buf, len, result),
                Accounts::toUser);
    }

    public static Optional<User> user(int uid) {
        return lookup(PASSWD_SIZE, (entry, buf, len, result) -> getpwuid_r(uid, entry, buf, len, result),
                Accounts::toUser);
    }

    public static Optional<Group> group(String name) {
        return lookup(GROUP_SIZE, (entry, buf, len, result) -> getgrnam_r(name, entry, buf, len, result),
                Accounts::toGroup);
    }

    public static Optional<Group> group(int gid) {
        return lookup(GROUP_SIZE, (entry, buf, len, result) -> getgrgid_r(gid, entry, buf, len, result),
                Accounts::toGroup);
    }

    /** Every group id the user belongs to: {@code primaryGid} plus the supplementary groups (getgrouplist(3)). */
    public static int[] groupIds(String user, int primaryGid) {
        int capacity = 64;
        while (true) {
            Memory groups = new Memory(4L * capacity);
            Memory count = new Memory(4);
            count.setInt(0, capacity);
            if (getgrouplist(user, primaryGid, groups, count) >= 0) {
                return groups.getIntArray(0, count.getInt(0));
            }
            // -1: too small; ngroups now holds the number needed.
            capacity = Math.max(capacity * 2, count.getInt(0));
        }
    }

    @FunctionalInterface
    private interface ReentrantCall {
        int call(Pointer entry, Pointer buf, long buflen, Pointer result);
    }

    /** Runs a *_r call, growing the string buffer on ERANGE; empty when there is no such entry. */
    private static <T> Optional<T> lookup(int entrySize, ReentrantCall call, Function<Pointer, T> convert) {
        for (int size = FIRST_BUFFER; size <= MAX_BUFFER; size *= 4) {
            Memory entry = new Memory(entrySize);
            Memory buf = new Memory(size);
            Memory result = new Memory(Native.POINTER_SIZE);
            result.setPointer(0, null);
            int rc = call.call(entry, buf, size, result);
            if (rc == ERANGE) {
                continue;
            }
            if (rc != 0 || result.getPointer(0) == null) {
                return Optional.empty();
            }
            T value = convert.apply(entry);
            // The entry's strings point into buf: keep it alive until they are copied.
            Reference.reachabilityFence(buf);
            return Optional.of(value);
        }
        return Optional.empty();
    }

    private static User toUser(Pointer p) {
        return new User(p.getPointer(0).getString(0), p.getInt(16), p.getInt(20),
                string(p.getPointer(32)), string(p.getPointer(40)));
    }

    private static Group toGroup(Pointer p) {
        List<String> members = new ArrayList<>();
        Pointer mem = p.getPointer(24);
        if (mem != null) {
            for (int i = 0; ; i++) {
                Pointer m = mem.getPointer((long) i * Native.POINTER_SIZE);
                if (m == null) {
                    break;
                }
                members.add(m.getString(0));
            }
        }
        return new Group(p.getPointer(0).getString(0), p.getInt(16), List.copyOf(members));
    }

    private static String string(Pointer p) {
        return p == null ? "" : p.getString(0);
    }
}
