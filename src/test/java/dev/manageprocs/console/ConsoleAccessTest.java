package dev.manageprocs.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.manageprocs.access.Audit;
import dev.manageprocs.access.Directory;
import dev.manageprocs.posix.Accounts;
import dev.manageprocs.posix.LibC;
import dev.manageprocs.testing.Captured;
import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.Tools;
import dev.manageprocs.unit.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Who may stay on a console, decided off the event loop: TCP peers are traced to their user (as {@code ss -e} does)
 * and held to the control socket's rule; a hanging name service holds up only the connection it is naming. The
 * other user is the real account 'nobody', reached with setpriv (these tests run as root, as CI does).
 */
class ConsoleAccessTest {
    private static final Endpoint TCP = HubFixture.ANY_PORT;
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;

    private final List<Process> peers = new ArrayList<>();
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();

    @BeforeEach
    void captureAudit() {
        Tools.require("setpriv", "socat");
        audit.start();
        ((Logger) LoggerFactory.getLogger(Audit.NAME)).addAppender(audit);
    }

    @AfterEach
    void cleanUp() {
        ((Logger) LoggerFactory.getLogger(Audit.NAME)).detachAppender(audit);
        peers.forEach(Process::destroyForcibly);
    }

    /** The host's accounts, except that looking up 'nobody' can be made to hang, as a stuck LDAP server does. */
    private static final class HangingNameService implements Directory.Source {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);

        @Override
        public Optional<Accounts.User> user(int uid) {
            if (uid == NOBODY) {
                entered.countDown();
                try {
                    released.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Accounts.user(uid);
        }
    }

    @Test
    void aHangingNameServiceHoldsUpOnlyTheConnectionItIsNaming() throws Exception {
        HangingNameService names = new HangingNameService();
        ConsoleAccess access = new ConsoleAccess(Directory.of(names), LibC.geteuid());
        try (HubFixture f = new HubFixture(HubFixture.spec(List.of(TCP), List.of(), 0, true), dir, false, access,
                Optional.empty())) {
            TestClient operator = f.controlClient();
            Captured nobody = asNobody(f.control());
            assertTrue(names.entered.await(10, TimeUnit.SECONDS), "the manager asked the name service about nobody");

            f.target.push("output while the name service hangs\r\n");
            // well before the lookup gives up (5 s): the loop is not the thread waiting for it
            Eventually.until(Duration.ofSeconds(3), () -> operator.text().contains("while the name service hangs"),
                    () -> "the connected operator's output; got: " + TestClient.printable(operator.text()));
            assertEquals("", nobody.text(), "nobody is still waiting for its answer");

            names.released.countDown();
            Eventually.until(() -> nobody.text().contains("@@@ permission denied"), nobody::text);
        }
    }

    @Test
    void aLocalUserWhoMayNotConnectGetsOneLineSayingWhoMayAndTheRefusalIsAudited() throws Exception {
        try (HubFixture f = new HubFixture(HubFixture.spec(List.of(TCP), List.of(), 0, true), dir, false,
                ConsoleAccess.ofThisProcess(), Optional.empty())) {
            assertEquals("@@@ permission denied: user 'nobody' (uid 65534) is not root; only root may connect, "
                    + "so connect as one of them\r\n", refusalAsNobody(f.control()));
            assertEquals(0, f.clientCount());
            Eventually.until(() -> audited().stream().anyMatch(m -> m.matches("console tcp:127\\.0\\.0\\.1:\\d+ of "
                    + "unit ioc1: refused tcp:127\\.0\\.0\\.1:\\d+ uid 65534 \\(nobody\\): permission denied: .*")),
                    () -> "the refusal in the audit log: " + audited());
        }
    }

    @Test
    void membersOfTheControlGroupMayConnectOverTcp() throws Exception {
        // nogroup is nobody's primary group
        try (HubFixture f = new HubFixture(HubFixture.spec(List.of(TCP), List.of(), 0, true), dir, false,
                ConsoleAccess.ofThisProcess(), Optional.of("nogroup"))) {
            Captured nobody = asNobody(f.control());
            Eventually.until(() -> nobody.text().contains("@@@ Welcome to procServ"), nobody::text);
            Eventually.until(() -> f.clientCount() == 1, () -> "nobody among the clients");
        }
    }

    @Test
    void aReadOnlyEndpointAlsoAdmitsItsLogGroupWhileTheControlEndpointDoesNot() throws Exception {
        try (HubFixture f = new HubFixture(HubFixture.spec(List.of(TCP), List.of(TCP), 0, true, Optional.of("nogroup")),
                dir, false, ConsoleAccess.ofThisProcess(), Optional.empty())) {
            Captured watcher = asNobody(f.log());
            Eventually.until(() -> watcher.text().contains("@@@ Read-only console of unit \"ioc1\""), watcher::text);

            String control = refusalAsNobody(f.control());
            assertEquals("@@@ permission denied: user 'nobody' (uid 65534) is not root; only root may connect, "
                    + "so connect as one of them\r\n", control);
        }
    }

    private List<String> audited() {
        synchronized (audit) {
            return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** What the console says to nobody before it hangs up (failing if it does not hang up). */
    private String refusalAsNobody(String endpoint) throws Exception {
        Process p = startAsNobody(endpoint);
        Captured said = Captured.from(p.getInputStream());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the console did not hang up on nobody; it said: " + said.text());
        Eventually.until(() -> !said.text().isEmpty(), () -> "what the console said");
        return said.text();
    }

    private Captured asNobody(String endpoint) throws Exception {
        return Captured.from(startAsNobody(endpoint).getInputStream());
    }

    /** socat as 'nobody', printing what the console sends; its stdin stays open so it does not hang up first. */
    private Process startAsNobody(String endpoint) throws Exception {
        String hostPort = endpoint.substring("tcp:".length());
        Process p = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "socat", "-u", "TCP:" + hostPort, "STDOUT").redirectErrorStream(true).start();
        peers.add(p);
        return p;
    }
}
