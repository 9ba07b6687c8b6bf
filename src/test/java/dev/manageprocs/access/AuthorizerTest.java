package dev.manageprocs.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.manageprocs.posix.Accounts;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthorizerTest {
    private static final Peer NOBODY = new Peer(65534, 65534, "nobody");

    @Test
    void rootMayAlwaysAct() {
        assertEquals(Optional.empty(), new Authorizer(1000, "manage-procs").refusal(new Peer(0, 0, "root")));
    }

    @Test
    void theManagersOwnUserMayAct() {
        assertEquals(Optional.empty(), new Authorizer(65534, "manage-procs").refusal(NOBODY));
    }

    @Test
    void othersAreRefusedWithWhatToDo() {
        Authorizer asRoot = new Authorizer(0, "nogroup-is-not-this");
        assertEquals(Optional.of("permission denied: user 'nobody' (uid 65534) is not root and not in group "
                + "'nogroup-is-not-this'; that group does not exist on this host; ask an administrator to create "
                + "it and add you to it"), asRoot.refusal(NOBODY));

        Authorizer asDaemonUser = new Authorizer(1, "root");
        assertEquals(Optional.of("permission denied: user 'nobody' (uid 65534) is not root, not "
                + Accounts.user(1).orElseThrow().name() + " and not in group 'root'; ask an administrator to add "
                + "you to that group"), asDaemonUser.refusal(NOBODY));
    }

    @Test
    void withoutGroupsOnlyRootAndTheManagersUserMayActAndTheRefusalSaysSo() {
        Authorizer userMode = new Authorizer(1, List.of(), Directory.system());
        String daemon = Accounts.user(1).orElseThrow().name();
        assertEquals(Optional.of("permission denied: user 'nobody' (uid 65534) is not root and not " + daemon
                + "; only root and " + daemon + " may connect, so connect as one of them"), userMode.refusal(NOBODY));
        assertEquals(Optional.empty(), userMode.refusal(new Peer(1, 1, daemon)));
    }

    @Test
    void anyOfSeveralGroupsAdmits() {
        Authorizer twoGroups = new Authorizer(0, List.of("root", "nogroup"), Directory.system());
        assertEquals(Optional.empty(), twoGroups.refusal(NOBODY));
        assertTrue(new Authorizer(0, List.of("root", "daemon"), Directory.system()).refusal(NOBODY)
                .orElseThrow().contains("not in group 'root' or 'daemon'; ask an administrator to add you to one of "
                        + "those groups"));
    }

    @Test
    void membersOfTheControlGroupMayAct() {
        // Primary group: a process whose gid is root's group.
        assertEquals(Optional.empty(), new Authorizer(1, "root").refusal(new Peer(65534, 0, "nobody")));
        // nogroup is nobody's primary group in the group database.
        assertEquals(Optional.empty(), new Authorizer(0, "nogroup").refusal(NOBODY));
    }

    @Test
    void supplementaryMembersOfTheControlGroupMayAct() {
        Optional<Accounts.Group> withMembers = Accounts.group("ssl-cert").filter(g -> !g.members().isEmpty());
        assumeTrue(withMembers.isPresent(), "needs a group with a supplementary member");
        Accounts.User member = Accounts.user(withMembers.get().members().get(0)).orElseThrow();
        assumeTrue(member.gid() != withMembers.get().gid());

        Peer peer = new Peer(member.uid(), member.gid(), member.name());
        assertEquals(Optional.empty(), new Authorizer(0, "ssl-cert").refusal(peer));
        assertTrue(new Authorizer(0, "ssl-cert").refusal(NOBODY).isPresent());
    }
}
