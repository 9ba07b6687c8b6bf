package dev.manageprocs.posix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/** User and group database look-ups (getpwnam_r(3), getgrnam_r(3)), thread-safe, through NSS. */
public final class Accounts {
    static {
        Native.register(Accounts.class, NativeLibrary.getInstance("c"));
    }

    /** A passwd entry: what spawning as that user needs. */
    public record User(String name, int uid, int gid) {
    }

    private static final int ERANGE = 34;
    // struct passwd: pw_name, pw_passwd (pointers), pw_uid, pw_gid (uint32) ...; struct group: gr_name, gr_passwd, gr_gid.
    private static final int PASSWD_SIZE = 48;
    private static final int PW_UID = 16;
    private static final int PW_GID = 20;
    private static final int GROUP_SIZE = 32;
    private static final int GR_GID = 16;

    private Accounts() {
    }

    private static native int getpwnam_r(byte[] name, Pointer pwd, Pointer buf, long buflen, Pointer result);

    private static native int getgrnam_r(byte[] name, Pointer grp, Pointer buf, long buflen, Pointer result);

    @FunctionalInterface
    private interface Lookup {
        int call(Pointer entry, Pointer buf, long buflen, Pointer result);
    }

    /** Runs a *_r look-up, growing the string buffer on ERANGE; the filled entry, or empty when there is none. */
    private static Optional<Memory> lookup(int entrySize, Lookup lookup) {
        Memory entry = new Memory(entrySize);
        Memory result = new Memory(Native.POINTER_SIZE);
        for (long size = 1024; ; size *= 4) {
            Memory buf = new Memory(size);
            int err = lookup.call(entry, buf, size, result);
            if (err == ERANGE && size < (1 << 24)) {
                continue;
            }
            if (err != 0) {
                throw new IllegalStateException("user/group database look-up failed: " + LibC.strerror(err));
            }
            return result.getPointer(0) == null ? Optional.empty() : Optional.of(entry);
        }
    }

    public static Optional<User> user(String name) {
        byte[] n = Native.toByteArray(name, StandardCharsets.UTF_8);
        return lookup(PASSWD_SIZE, (e, b, l, r) -> getpwnam_r(n, e, b, l, r))
                .map(e -> new User(name, e.getInt(PW_UID), e.getInt(PW_GID)));
    }

    public static OptionalInt groupId(String name) {
        byte[] n = Native.toByteArray(name, StandardCharsets.UTF_8);
        return lookup(GROUP_SIZE, (e, b, l, r) -> getgrnam_r(n, e, b, l, r))
                .map(e -> OptionalInt.of(e.getInt(GR_GID))).orElse(OptionalInt.empty());
    }
}
