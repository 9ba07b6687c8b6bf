package dev.manageprocs.posix;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Optional;

/** User database look-ups through NSS (so LDAP/SSSD users resolve too), for audit messages. */
public final class Users {
    static {
        Native.register(Users.class, NativeLibrary.getInstance("c"));
    }

    /** struct passwd is 48 bytes on 64-bit Linux; pw_name is its first field. */
    private static final int PASSWD_SIZE = 64;
    private static final int STRINGS_SIZE = 4096;

    private Users() {
    }

    private static native int getpwuid_r(int uid, Pointer pwd, Pointer buf, long buflen, Pointer result);

    /** The login name of uid, or empty when the user database does not know it. */
    public static Optional<String> name(int uid) {
        Memory pwd = new Memory(PASSWD_SIZE);
        Memory strings = new Memory(STRINGS_SIZE);
        Memory result = new Memory(Native.POINTER_SIZE);
        result.setPointer(0, null);
        if (getpwuid_r(uid, pwd, strings, STRINGS_SIZE, result) != 0 || result.getPointer(0) == null) {
            return Optional.empty();
        }
        return Optional.of(pwd.getPointer(0).getString(0));
    }
}
