package dev.manageprocs.control;

import dev.manageprocs.posix.Accounts;
import java.util.Arrays;
import java.util.Optional;

/**
 * Who may use the control socket (docs/paths.md, permissions): root, the manager's own uid, or a member of the control
 * group (primary or supplementary, as the group database says).
 */
public final class Authorizer {
    private final int managerUid;
    private final String managerUser;
    private final String controlGroup;

    /**
     * @param managerUid   the manager's effective uid
     * @param controlGroup the control_group of manager.toml ("manage-procs" by default)
     */
    public Authorizer(int managerUid, String controlGroup) {
        this.managerUid = managerUid;
        this.managerUser = Accounts.user(managerUid).map(Accounts.User::name).orElse("uid " + managerUid);
        this.controlGroup = controlGroup;
    }

    /** Empty when the peer may act; otherwise the one sentence that tells it why not and what to do. */
    public Optional<String> refusal(Peer peer) {
        if (peer.uid() == 0 || peer.uid() == managerUid || inControlGroup(peer)) {
            return Optional.empty();
        }
        String who = "user " + peer.describe() + " is not root"
                + (managerUid == 0 ? "" : ", not " + managerUser) + " and not in group '" + controlGroup + "'";
        String what = Accounts.group(controlGroup).isPresent()
                ? "ask an administrator to add you to that group"
                : "that group does not exist on this host; ask an administrator to create it and add you to it";
        return Optional.of("permission denied: " + who + "; " + what);
    }

    private boolean inControlGroup(Peer peer) {
        Optional<Accounts.Group> group = Accounts.group(controlGroup);
        if (group.isEmpty()) {
            return false;
        }
        int gid = group.get().gid();
        if (peer.gid() == gid || group.get().members().contains(peer.user())) {
            return true;
        }
        return Arrays.stream(Accounts.groupIds(peer.user(), peer.gid())).anyMatch(g -> g == gid);
    }
}
