package dev.manageprocs.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path tmp;

    @Test
    void eachStateIsOneDatagramOnAPathSocket() {
        String path = tmp.resolve("notify").toString();
        try (NotifySocket socket = new NotifySocket(path)) {
            SystemdNotifier n = SystemdNotifier.from(Map.of("NOTIFY_SOCKET", path));
            n.ready("running");
            n.reloading();
            n.ready("running again");
            n.stopping();
            socket.await("STOPPING=1", WAIT);
            List<String> m = socket.messages();
            assertEquals(4, m.size(), m::toString);
            assertEquals("READY=1\nSTATUS=running", m.get(0));
            assertTrue(m.get(1).startsWith("RELOADING=1\n"), m.get(1));
            assertTrue(m.get(1).lines().anyMatch(l -> l.matches("MONOTONIC_USEC=\\d+")), m.get(1));
            assertEquals("READY=1\nSTATUS=running again", m.get(2));
        }
    }

    @Test
    void anAtSignNamesAnAbstractSocket() {
        String name = "@manage-procs-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (NotifySocket socket = new NotifySocket(name)) {
            SystemdNotifier.from(Map.of("NOTIFY_SOCKET", name)).ready("up");
            assertEquals("READY=1\nSTATUS=up", socket.await("READY=1", WAIT));
        }
    }

    @Test
    void withoutNotifySocketOrWithAGoneOneNothingHappens() {
        SystemdNotifier.from(Map.of()).ready("up");
        SystemdNotifier.from(Map.of("NOTIFY_SOCKET", "")).stopping();
        SystemdNotifier.from(Map.of("NOTIFY_SOCKET", "vsock:2:1234")).ready("up");
        SystemdNotifier.from(Map.of("NOTIFY_SOCKET", tmp.resolve("nobody-listens").toString())).ready("up");
    }

    @Test
    void childrenDoNotInheritTheManagersNotifySocket() {
        Map<String, String> env = SystemdNotifier.forChildren(Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "PATH", "/bin"));
        assertFalse(env.containsKey("NOTIFY_SOCKET"));
        assertEquals("/bin", env.get("PATH"));
    }
}
