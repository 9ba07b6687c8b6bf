package dev.manageprocs.console;

import dev.manageprocs.testing.Eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.supervisor.Goal;
import dev.manageprocs.supervisor.State;
import dev.manageprocs.supervisor.UnitStatus;
import dev.manageprocs.unit.Endpoint;
import dev.manageprocs.unit.RestartMode;
import dev.manageprocs.unit.Signal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The party line as users see it, over real loopback and unix sockets. */
class ConsoleHubTest {
    private static final String NEGOTIATION = new String(Telnet.NEGOTIATION, StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;

    @Test
    void bannerNamesUnitPidStateModeKeysAndClientCountsThenNegotiatesLikeProcServ() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            f.controlClient();
            f.logClient();
            TestClient c = f.controlClient();
            String text = c.text();
            assertTrue(text.startsWith("@@@ Welcome to procServ (manage-procs console of unit \"ioc1\")\r\n"), text);
            assertTrue(text.contains(
                    "@@@ Use ^X to kill the child, auto restart is ON, use ^T to toggle auto restart\r\n"), text);
            assertTrue(text.contains("@@@ Use ^D to logout from this console\r\n"), text);
            assertTrue(text.contains("@@@ Child \"ioc1\" PID: 4242\r\n"), text);
            assertTrue(text.contains("@@@ Child \"ioc1\" state: RUNNING, restart mode: always, restarts: 0\r\n"), text);
            // procServ sends IAC WILL ECHO, IAC DO LINEMODE right after the banner
            assertTrue(text.endsWith("@@@ 1 user(s) and 1 logger(s) connected (plus you)\r\n" + NEGOTIATION), text);
        }
    }

    @Test
    void bannerOfAStoppedUnitSaysShutDownAndWhichKeysWork() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            f.target.changeState(new UnitStatus("ioc1", State.EXITED, Goal.RUN, OptionalInt.empty(), Optional.empty(), 2,
                    Optional.of(ExitStatus.exited(3)), RestartMode.NEVER, Optional.empty()));
            TestClient c = f.controlClient();
            String text = c.text();
            assertTrue(text.contains("auto restart is OFF"), text);
            assertTrue(text.contains("@@@ Child \"ioc1\" is SHUT DOWN\r\n"), text);
            assertTrue(text.contains("state: EXITED, restart mode: never, restarts: 2, last exit: exit 3"), text);
            assertTrue(text.contains("@@@ ^R restarts the child, ^Q stops the unit, ^D closes this connection\r\n"), text);
        }
    }

    @Test
    void readOnlyClientsGetFactsWithoutKeys() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            String text = f.logClient().text();
            assertTrue(text.startsWith("@@@ Read-only console of unit \"ioc1\" (input is ignored)\r\n"), text);
            assertTrue(text.contains("@@@ Child \"ioc1\" PID: 4242\r\n"), text);
            assertFalse(text.contains("^X"), text);
        }
    }

    @Test
    void historyIsReplayedFromALineStartBetweenMarkersWithThePromptAfterThem() throws Exception {
        try (HubFixture f = new HubFixture(HubFixture.spec(List.of(HubFixture.ANY_PORT), List.of(), 100, true), dir, false)) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                all.append("line ").append(i).append(" of output\r\n");
            }
            all.append("epics> ");
            f.target.push(all.toString());
            TestClient watcher = f.controlClient();
            watcher.awaitText("epics> ");

            TestClient c = f.controlClient();
            c.awaitText("epics> ");
            String text = c.text();
            String kept = all.substring(all.length() - 100);
            String fromLineStart = kept.substring(kept.indexOf('\n') + 1, kept.lastIndexOf('\n') + 1);
            String expected = NEGOTIATION
                    + "@@@ -------- last " + fromLineStart.length() + " bytes of console output --------\r\n"
                    + fromLineStart
                    + "@@@ -------- end of replay, live output follows --------\r\n"
                    + "epics> ";
            assertTrue(text.endsWith(expected), TestClient.printable(text));
            assertTrue(fromLineStart.startsWith("line "), fromLineStart);
        }
    }

    @Test
    void outputReachesEveryClientAndEscapesIacLikeProcServ() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            List<TestClient> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(f.controlClient());
            }
            clients.add(f.logClient());
            f.target.push(new byte[] {'a', (byte) 0xff, 'b', '\r', '\n'});
            for (TestClient c : clients) {
                c.awaitText("a\u00ff\u00ffb\r\n");
            }
        }
    }

    @Test
    void aControlClientsWindowSizeResizesTheChildAReadOnlyOnesDoesNot() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            TestClient log = f.logClient();
            log.send(Telnet.naws(11, 22));
            TestClient c = f.controlClient();
            c.send(Telnet.naws(50, 132));
            c.send("x");
            Eventually.until(() -> f.target.inputSize() == 1, () -> "input after the window size");
            assertEquals("50x132", f.target.windowSize, "the control client's size, not the read-only one's");
            assertEquals("x", new String(f.target.input(), StandardCharsets.ISO_8859_1), "NAWS is not input");
        }
    }

    @Test
    void inputGoesToTheChildAndOthersSeeItOnceThroughTheChildsEcho() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, true)) {
            TestClient a = f.controlClient();
            TestClient b = f.controlClient();
            TestClient log = f.logClient();
            int aBefore = a.text().length();
            int bBefore = b.text().length();
            a.send("version\r");
            Eventually.until(() -> f.target.inputSize() == 8, () -> "input to reach the child");
            assertEquals("version\r", new String(f.target.input(), StandardCharsets.ISO_8859_1));
            for (TestClient c : List.of(a, b, log)) {
                c.awaitText("version\r");
            }
            f.target.push("done\r\n");
            b.awaitText("done\r\n");
            a.awaitText("done\r\n");
            assertEquals("version\rdone\r\n", b.text().substring(bBefore));
            assertEquals("version\rdone\r\n", a.text().substring(aBefore));
        }
    }

    @Test
    void readOnlyClientsInputAndKeysAreDropped() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            TestClient log = f.logClient();
            TestClient ctl = f.controlClient();
            log.send("dbl\r\u0018\u0014\u0012\u0011\u0004");
            ctl.send("x");
            Eventually.until(() -> f.target.inputSize() == 1, () -> "the control client's input");
            assertEquals("x", new String(f.target.input(), StandardCharsets.ISO_8859_1));
            assertEquals(0, f.target.kills.get() + f.target.toggles.get() + f.target.restarts.get() + f.target.quits.get());
            assertFalse(log.closedByServer());
            assertEquals(2, f.clientCount());
        }
    }

    @Test
    void keysAreActedOnNotForwardedAndNameTheClient() throws Exception {
        Path sock = dir.resolve("ctl.sock");
        Endpoint unix = new Endpoint.UnixPath("unix:" + sock, sock, Optional.empty(), Optional.empty(), OptionalInt.empty());
        try (HubFixture f = new HubFixture(HubFixture.spec(List.of(unix), List.of(), 1024, true), dir, false)) {
            TestClient a = f.controlClient();
            TestClient b = f.controlClient();
            a.send("a\u0018b\u0014c\u0012d\u0011e");
            Eventually.until(() -> f.target.inputSize() == 5, () -> "the non-key input");
            assertEquals("abcde", new String(f.target.input(), StandardCharsets.ISO_8859_1));
            assertEquals(List.of(1, 1, 1, 1), List.of(f.target.kills.get(), f.target.toggles.get(),
                    f.target.restarts.get(), f.target.quits.get()));
            assertEquals(List.of("unix:" + sock + " uid 0 (root)"), f.target.whos().stream().distinct().toList());
            // the toggle's outcome is announced to everybody
            b.awaitText(NEGOTIATION + "@@@ Toggled auto restart to OFF\r\n");
            a.awaitText(NEGOTIATION + "@@@ Toggled auto restart to OFF\r\n");
        }
    }

    @Test
    void ignoredCharactersNeverReachTheChild() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            TestClient a = f.controlClient();
            a.send("a\u0003b\u001dc");
            Eventually.until(() -> f.target.inputSize() == 3, () -> "input");
            assertEquals("abc", new String(f.target.input(), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void logoutClosesOnlyThatClientAndDropsWhatFollows() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            TestClient a = f.controlClient();
            TestClient b = f.controlClient();
            a.send("hi\u0004more");
            a.awaitClosedByServer();
            Eventually.until(() -> f.clientCount() == 1, () -> "one client left");
            assertEquals("hi", new String(f.target.input(), StandardCharsets.ISO_8859_1));
            f.target.push("still here\r\n");
            b.awaitText("still here\r\n");
        }
    }

    @Test
    void telnetOptionsAreAnsweredOnceAndStrippedEvenWhenSplitAcrossWrites() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            TestClient a = f.controlClient();
            int before = a.bytes().length;
            // what Linux telnet answers procServ's negotiation with: DO ECHO, DO SGA, WILL LINEMODE, SB LINEMODE SLC … SE
            a.send(bytes(0xff, 0xfd, 1, 0xff, 0xfd, 3, 0xff, 0xfb, 34, 0xff, 0xfa, 34, 3, 1, 0, 0, 3, 0x62, 0xff, 0xf0,
                    0xff, 0xfd, 31, 'a'));
            Eventually.until(() -> f.target.inputSize() == 1, () -> "the data byte after the negotiation");
            Eventually.until(() -> a.bytes().length >= before + 6, () -> "the answers");
            // DO SGA is granted, DO NAWS refused; DO ECHO and WILL LINEMODE confirm our requests: no answer
            byte[] replies = java.util.Arrays.copyOfRange(a.bytes(), before, a.bytes().length);
            assertArrayEquals(bytes(0xff, 0xfb, 3, 0xff, 0xfc, 31), replies);

            // split: IAC | SB … | IAC | SE, IAC | IAC (a literal 0xFF), CR | NUL (telnet's bare CR)
            for (byte[] piece : List.of(bytes('b', 0xff), bytes(0xfa, 31, 0, 80), bytes(0, 24, 0xff), bytes(0xf0, 'c', 0xff),
                    bytes(0xff, '\r'), bytes(0, 'd'))) {
                int expected = f.target.inputSize() + dataBytesIn(piece);
                a.send(piece);
                Eventually.until(() -> f.target.inputSize() >= expected, () -> "piece to arrive");
            }
            assertArrayEquals(bytes('a', 'b', 'c', 0xff, '\r', 'd'), f.target.input());
        }
    }

    private static int dataBytesIn(byte[] piece) {
        return switch (new String(piece, StandardCharsets.ISO_8859_1)) {
            case "b\u00ff" -> 1;
            case "\u00f0c\u00ff" -> 1;
            case "\u00ff\r" -> 2;
            case "\u0000d" -> 1;
            default -> 0;
        };
    }

    @Test
    void announcementsGoToEveryClientOnTheirOwnLineAndStateChangesOnlyUpdateTheBanner() throws Exception {
        try (HubFixture f = HubFixture.tcp(dir, false)) {
            TestClient a = f.controlClient();
            TestClient log = f.logClient();
            f.target.push("epics> ");
            f.target.announce("@@@ Kill key pressed by unix:/x uid 1000 (alice)");
            f.target.changeState(new UnitStatus("ioc1", State.BACKOFF, Goal.RUN, OptionalInt.empty(), Optional.empty(), 0,
                    Optional.of(ExitStatus.killed(Signal.KILL, false)), RestartMode.ALWAYS, Optional.empty()));
            f.target.changeState(new UnitStatus("ioc1", State.STARTING, Goal.RUN, OptionalInt.empty(), Optional.empty(), 1,
                    Optional.empty(), RestartMode.ALWAYS, Optional.empty()));
            f.target.changeState(new UnitStatus("ioc1", State.RUNNING, Goal.RUN, OptionalInt.of(4343), Optional.of(Instant.now()), 1,
                    Optional.empty(), RestartMode.ALWAYS, Optional.empty()));
            f.target.announce("@@@ The PID of new child \"ioc1\" is: 4343");
            String expected = "epics> \r\n@@@ Kill key pressed by unix:/x uid 1000 (alice)\r\n"
                    + "@@@ The PID of new child \"ioc1\" is: 4343\r\n";
            a.awaitText(expected);
            log.awaitText(expected);
            assertFalse(a.text().contains("Restarting"), "state changes alone print nothing: " + a.text());
            TestClient late = f.controlClient();
            late.awaitText("@@@ Child \"ioc1\" PID: 4343\r\n");
        }
    }

    @Test
    void closeDisconnectsClientsRemovesSocketFilesAndStopsListening() throws Exception {
        Endpoint unixDefault = new Endpoint.UnixDefault("unix:default");
        HubFixture f = new HubFixture(HubFixture.spec(List.of(unixDefault), List.of(unixDefault), 0, true), dir, false);
        assertEquals(List.of("unix:" + dir.resolve("control")), f.reactor.call(f.hub::controlAddresses));
        assertEquals(List.of("unix:" + dir.resolve("log")), f.reactor.call(f.hub::logAddresses));
        assertEquals(1, f.target.listenerCount());
        TestClient a = TestClient.connect(f.control());
        a.awaitText(NEGOTIATION);
        f.close();
        a.awaitClosedByServer();
        a.close();
        assertFalse(java.nio.file.Files.exists(dir.resolve("control")));
        assertFalse(java.nio.file.Files.exists(dir.resolve("log")));
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
