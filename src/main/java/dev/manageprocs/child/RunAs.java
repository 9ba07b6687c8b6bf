package dev.manageprocs.child;

import dev.manageprocs.posix.Accounts;
import dev.manageprocs.posix.LibC;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The unit's user/group. posix_spawn has no attribute to change credentials, so a root manager execs
 * setpriv(1) (util-linux), which switches uid, gid and supplementary groups and then execs the command;
 * session, controlling tty, cwd, umask and limits set up by the spawn survive both execs.
 */
final class RunAs {
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private RunAs() {
    }

    /** The argv to put in front of the command: empty when the child keeps the manager's credentials. */
    static List<String> prefix(Optional<String> user, Optional<String> group) throws SpawnException {
        if (user.isEmpty() && group.isEmpty()) {
            return List.of();
        }
        Optional<Accounts.User> account = Optional.empty();
        if (user.isPresent()) {
            account = Optional.of(Accounts.user(user.get()).orElseThrow(() -> new SpawnException(
                    "unit asks for user '" + user.get() + "', which does not exist on this host; create it or fix 'user'")));
        }
        int uid = account.map(Accounts.User::uid).orElse(LibC.geteuid());
        int gid;
        if (group.isPresent()) {
            gid = Accounts.group(group.get()).map(Accounts.Group::gid).orElseThrow(() -> new SpawnException(
                    "unit asks for group '" + group.get() + "', which does not exist on this host; create it or fix 'group'"));
        } else {
            gid = account.map(Accounts.User::gid).orElse(LibC.getgid());
        }
        if (LibC.geteuid() != 0) {
            if (user.isPresent() && uid != LibC.geteuid()) {
                throw notRoot("user '" + user.get() + "'");
            }
            if (group.isPresent() && gid != LibC.getgid()) {
                throw notRoot("group '" + group.get() + "'");
            }
            return List.of(); // asks for who we already are
        }
        if (uid == 0 && gid == LibC.getgid()) {
            return List.of();
        }
        if (!Files.isExecutable(SETPRIV)) {
            throw new SpawnException("cannot run the unit as " + user.map(u -> "user '" + u + "'")
                    .orElse("group '" + group.orElseThrow() + "'") + ": " + SETPRIV
                    + " is missing; install util-linux");
        }
        return List.of(SETPRIV.toString(), "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--");
    }

    private static SpawnException notRoot(String what) {
        return new SpawnException("unit asks for " + what + " but the manager runs as uid " + LibC.geteuid()
                + ", not root; remove 'user'/'group' or run the manager as root");
    }
}
