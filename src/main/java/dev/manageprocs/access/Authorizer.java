package dev.manageprocs.access;

import dev.manageprocs.posix.Accounts;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who may use the control socket, and a console endpoint whose peers the kernel cannot filter by file mode (TCP):
 * root, the manager's own uid, or a member (primary or supplementary, as the group database says) of one of the
 * groups (docs/paths.md, permissions). Asks the {@link Directory}, so it blocks: never call it on the event loop.
 */
public final class Authorizer {
    private final int managerUid;
    private final List<String> groups;
    private final Directory directory;

    /**
     * @param managerUid the manager's effective uid
     * @param groups     the groups whose members may act: control_group (and a read-only endpoint's log_group);
     *                   none in user mode
     */
    public Authorizer(int managerUid, List<String> groups, Directory directory) {
        this.managerUid = managerUid;
        this.groups = List.copyOf(groups);
        this.directory = directory;
    }

    /** The control socket's rule: root, the manager's user and control_group. */
    public Authorizer(int managerUid, String controlGroup) {
        this(managerUid, List.of(controlGroup), Directory.system());
    }

    /** Empty when the peer may act; otherwise the one sentence that tells it why not and what to do. */
    public Optional<String> refusal(Peer peer) {
        if (peer.uid() == 0 || peer.uid() == managerUid || groups.stream().anyMatch(g -> inGroup(peer, g))) {
            return Optional.empty();
        }
        String managerUser = directory.user(managerUid).map(Accounts.User::name).orElse("uid " + managerUid);
        if (groups.isEmpty()) {
            return Optional.of("permission denied: user " + peer.describe() + " is not root"
                    + (managerUid == 0 ? "" : " and not " + managerUser) + "; only "
                    + (managerUid == 0 ? "root" : "root and " + managerUser) + " may connect, so connect as one of them");
        }
        String quoted = groups.stream().map(g -> "'" + g + "'").collect(Collectors.joining(" or "));
        String who = "user " + peer.describe() + " is not root" + (managerUid == 0 ? "" : ", not " + managerUser)
                + " and not in group " + quoted;
        String what = groups.stream().anyMatch(g -> directory.group(g).isPresent())
                ? "ask an administrator to add you to " + (groups.size() == 1 ? "that group" : "one of those groups")
                : (groups.size() == 1 ? "that group does not" : "those groups do not") + " exist on this host; ask an "
                        + "administrator to create " + (groups.size() == 1 ? "it" : "one") + " and add you to it";
        return Optional.of("permission denied: " + who + "; " + what);
    }

    /** Who a control peer is, from the names SO_PEERCRED gives (numeric names when the database has none). */
    public Peer peer(String user, String group) {
        int uid = directory.user(user).map(Accounts.User::uid).orElseGet(() -> parseId(user));
        int gid = directory.group(group).map(Accounts.Group::gid).orElseGet(() -> parseId(group));
        return new Peer(uid, gid, user);
    }

    private boolean inGroup(Peer peer, String name) {
        Optional<Accounts.Group> group = directory.group(name);
        if (group.isEmpty()) {
            return false;
        }
        int gid = group.get().gid();
        if (peer.gid() == gid || group.get().members().contains(peer.user())) {
            return true;
        }
        return Arrays.stream(directory.groupIds(peer.user(), peer.gid())).anyMatch(g -> g == gid);
    }

    private static int parseId(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1; // a name NSS knew a moment ago and no longer does: no rights beyond "anybody"
        }
    }
}
