package dev.manageprocs.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccountsTest {
    @Test
    void looksUpUsersByNameAndUid() {
        Accounts.User root = Accounts.user("root").orElseThrow();
        assertEquals(0, root.uid());
        assertEquals(0, root.gid());
        assertEquals("/root", root.home());
        assertEquals("nobody", Accounts.user(65534).orElseThrow().name());
        assertEquals(Optional.empty(), Accounts.user("no-such-user-here"));
        assertEquals(Optional.empty(), Accounts.user(1_999_999_999));
    }

    @Test
    void looksUpGroupsByNameAndGid() {
        assertEquals(65534, Accounts.group("nogroup").orElseThrow().gid());
        assertEquals("root", Accounts.group(0).orElseThrow().name());
        assertEquals(Optional.empty(), Accounts.group("no-such-group-here"));
    }

    @Test
    void groupIdsIncludeThePrimaryGroup() {
        assertTrue(Arrays.stream(Accounts.groupIds("root", 0)).anyMatch(g -> g == 0));
        assertTrue(Arrays.stream(Accounts.groupIds("nobody", 65534)).anyMatch(g -> g == 65534));
    }

    @Test
    void concurrentLookupsAgree() throws Exception {
        Thread[] threads = new Thread[8];
        boolean[] ok = new boolean[threads.length];
        for (int i = 0; i < threads.length; i++) {
            int n = i;
            threads[i] = Thread.ofPlatform().start(() -> {
                boolean good = true;
                for (int k = 0; k < 500; k++) {
                    good &= Accounts.user(0).orElseThrow().name().equals("root")
                            && Accounts.group("nogroup").orElseThrow().gid() == 65534;
                }
                ok[n] = good;
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        for (boolean b : ok) {
            assertTrue(b);
        }
    }
}
