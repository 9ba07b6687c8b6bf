package dev.manageprocs.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.control.CallFailed;
import dev.manageprocs.control.ControlClient;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.SocketPath;
import dev.manageprocs.testing.Eventually;
import dev.manageprocs.testing.ManagerProcess;
import dev.manageprocs.testing.ManagerProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rest of the verbs, each as an operator types it, against a real manager. */
class ManagerCommandsIT {
    @TempDir
    Path tmp;

    private static final String SLEEPER = """
            [process]
            command = ["sleep", "100000"]
            """;

    @Test
    void listAllShowsUnitsForOtherHostsAndBrokenFilesWithWhy() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("here", SLEEPER);
            m.writeUnit("elsewhere", "host = \"no-such-host.example\"\n" + SLEEPER);
            m.writeUnit("broken", "[process]\ncommand = 42\n");
            Result reload = m.cli("reload");
            assertEquals(1, reload.exit(), "a broken file makes reload report failure: " + reload);
            assertTrue(reload.err().contains("broken.toml:2:1: [process] command must be"), reload::toString);
            assertTrue(reload.out().contains("here: added"), reload::toString);

            Result list = m.cli("list");
            assertTrue(list.out().contains("here") && !list.out().contains("elsewhere"), list::toString);
            Result all = m.cli("list", "--all");
            assertTrue(all.out().lines().anyMatch(l -> l.startsWith("elsewhere") && l.contains("excluded")), all::toString);
            assertTrue(all.out().contains("host = \"no-such-host.example\" but this is"), all::toString);
            assertTrue(all.out().lines().anyMatch(l -> l.startsWith("broken") && l.contains("broken")), all::toString);
            assertEquals(4, m.cli("status", "elsewhere").exit(), "a unit for another host is not run");
        }
    }

    @Test
    void sighupReloadsLikeTheReloadCommand() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("late", SLEEPER);
            new ProcessBuilder("kill", "-HUP", Long.toString(m.pid())).start().waitFor();
            Eventually.await("the unit added by SIGHUP to run", ManagerProcess.WAIT,
                    () -> m.cli("status", "late").exit() == 0);
            assertTrue(m.managerOutput().contains("reload by SIGHUP"), m::managerOutput);
        }
    }

    @Test
    void killSignalsTheProcessGroupAndTheUnitRestartsByPolicy() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("victim", SLEEPER + "[restart]\nholdoff = \"0s\"\n");
            m.cli("reload");
            Eventually.await("running", ManagerProcess.WAIT, () -> m.cli("status", "victim").exit() == 0);
            Result k = m.cli("kill", "victim", "-s", "USR1");
            assertEquals(0, k.exit(), k::toString);
            assertEquals("sent SIGUSR1 to the process group of victim\n", k.out());
            Eventually.await("restarted with the signal recorded", ManagerProcess.WAIT,
                    () -> m.cli("status", "victim").out().contains("SIGUSR1"));
            Result bad = m.cli("kill", "victim", "-s", "NOPE");
            assertEquals(2, bad.exit(), bad::toString);
            assertEquals(4, m.cli("kill", "ghost").exit());
        }
    }

    @Test
    void procServUtilsAddFormWritesAUnitAndWriteProcsCfListsItsConsole() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            Path dir = Files.createDirectories(tmp.resolve("iocBoot"));
            Result add = m.cli("add", "-C", dir.toString(), "-e", "GREETING=hi", "greeter", "--",
                    "sh", "-c", "echo $GREETING from $(pwd); exec sleep 100000");
            assertEquals(0, add.exit(), add::toString);
            String toml = Files.readString(m.unitDir.resolve("greeter.toml"));
            assertTrue(toml.contains("chdir = \"" + dir + "\""), toml);
            Eventually.await("greeter running", ManagerProcess.WAIT, () -> m.cli("status", "greeter").exit() == 0);
            Eventually.await("its output in the log", ManagerProcess.WAIT, () -> logHas(m, "greeter", "hi from " + dir));

            Result cf = m.cli("write-procs-cf");
            assertEquals(0, cf.exit(), cf::toString);
            assertTrue(cf.out().contains("console greeter {"), cf::toString);
            assertTrue(cf.out().contains(m.runDir.resolve("greeter/control").toString()), cf::toString);
        }
    }

    @Test
    void commandsWithoutAManagerSaySoInOneSentence() throws Exception {
        var m = new ManagerProcess(tmp.resolve("m"));
        m.terminate();
        Result r = m.cli("status");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().startsWith("manage-procs: no manager is running on " + m.runDir.resolve("control.sock")), r::toString);
        assertTrue(r.err().contains("manage-procs daemon"), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        Result check = m.cli("check", Files.writeString(tmp.resolve("ok.toml"), SLEEPER).toString());
        assertEquals(0, check.exit(), "check works without a manager: " + check);
    }

    @Test
    void aSecondManagerOnTheSameSocketRefusesToStartAndTheFirstCarriesOn() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            m.writeUnit("steady", SLEEPER);
            m.cli("reload");
            Result second = m.cli("daemon"); // same XDG tree, so the same control socket
            assertEquals(1, second.exit(), second::toString);
            assertTrue(second.out().contains("another manager is already running on " + m.runDir.resolve("control.sock")
                    + " (pid " + m.pid() + ")"), second::toString);
            assertTrue(m.alive());
            assertEquals(0, m.cli("status", "steady").exit(), "the first manager still serves");
        }
    }

    @Test
    void unknownVerbsAndOptionsAreRefusedWithTheirSentences() throws Exception {
        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            ControlClient client = new ControlClient(new SocketPath(m.runDir.resolve("control.sock"), false));
            String newer = " (is the client newer than the manager?)\n";
            assertEquals(Response.error(2, "unknown request 'frobnicate'; this manager speaks control protocol 1"
                    + " (is the client newer than the manager?)"), client.send(Request.of("frobnicate")));
            assertEquals(new Response(2, "", "manage-procs: 'show' has no option 'x'; it takes none" + newer),
                    client.send(new Request("show", List.of("a"), Map.of("x", "true"), Map.of())));
            assertEquals(new Response(2, "", "manage-procs: 'remove' has no option 'dry-runn'; it takes dry-run" + newer),
                    client.send(new Request("remove", List.of("a"), Map.of("dry-runn", "true"), Map.of())));
            // origin.FILE is add's, one per file, and not listed as an option to type
            assertEquals(new Response(2, "", "manage-procs: 'add' has no option 'bogus'; it takes force, now" + newer),
                    client.send(new Request("add", List.of("a.toml"), Map.of("bogus", "true", "origin.a.toml", "/x"),
                            Map.of("a.toml", new byte[0]))));
            Response add = client.send(new Request("add", List.of("a b.toml"), Map.of("origin.a b.toml", "/x"),
                    Map.of("a b.toml", new byte[0])));
            assertEquals(1, add.exitCode(), add::toString);
            assertTrue(add.err().startsWith("a b.toml: not a valid unit file name"), add::toString);
            assertEquals(new Response(2, "", "manage-procs: 'logs' has no option 'x'; it takes follow, lines, since"
                    + newer), stream(client, new Request("logs", List.of("a"), Map.of("x", "1"), Map.of())));
            Response ping = client.send(Request.of("ping"));
            assertEquals(Response.OK, ping.exitCode(), ping::toString);
            assertTrue(ping.out().matches("manage-procs manager pid " + m.pid() + " version \\S+ generation 0\n"), ping::toString);
        }
    }

    /** A streaming verb's final response, its chunks dropped. */
    private static Response stream(ControlClient client, Request request) throws CallFailed {
        try (var call = client.stream(request)) {
            return call.read((stderr, bytes) -> { });
        }
    }

    private static boolean logHas(ManagerProcess m, String unit, String text) {
        try {
            Path log = m.logDir.resolve(unit + ".log");
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
