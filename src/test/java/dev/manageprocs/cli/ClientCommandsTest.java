package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.access.Authorizer;
import dev.manageprocs.control.ControlServer;
import dev.manageprocs.control.Ping;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.testing.MainRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Each command line builds the expected request; usage errors exit 2; the whole path over a real socket. */
class ClientCommandsTest {
    @TempDir
    Path dir;

    static Request request(String... args) {
        CommandLine.ParseResult pr = new CommandLine(new Main()).parseArgs(args);
        return ((ClientCommand) pr.subcommand().commandSpec().userObject()).request();
    }

    private static Request req(String verb, List<String> args, Map<String, String> options) {
        return new Request(verb, args, options, Map.of());
    }

    @Test
    void simpleCommandsBuildTheirRequests() {
        assertEquals(req("start", List.of("ioc*", "bl2"), Map.of()), request("start", "ioc*", "bl2"));
        assertEquals(req("stop", List.of(), Map.of("all", "true")), request("stop", "--all"));
        assertEquals(req("restart", List.of("x"), Map.of()), request("--user", "restart", "x"));
        assertEquals(req("status", List.of(), Map.of()), request("status"));
        assertEquals(req("status", List.of("ioc?"), Map.of("json", "true")), request("status", "ioc?", "--json"));
        assertEquals(req("list", List.of(), Map.of("all", "true", "json", "true")), request("list", "--all", "--json"));
        assertEquals(req("show", List.of("ioc1"), Map.of()), request("show", "ioc1"));
        assertEquals(req("kill", List.of("ioc1"), Map.of()), request("kill", "ioc1"));
        assertEquals(req("kill", List.of("ioc1"), Map.of("signal", "SIGTERM")), request("kill", "ioc1", "-s", "term"));
        assertEquals(req("kill", List.of("ioc1"), Map.of("signal", "SIGHUP")), request("kill", "-s", "1", "ioc1"));
        assertEquals(req("reload", List.of(), Map.of("restart-changed", "true")), request("reload", "--restart-changed"));
        assertEquals(req("reload", List.of(), Map.of()), request("reload"));
        assertEquals(req("write-procs-cf", List.of(), Map.of()), request("write-procs-cf", "-o", "x.cf"));
        assertEquals(req("remove", List.of("a", "b"), Map.of()), request("remove", "-f", "a", "b"));
    }

    @Test
    void addSendsTheFilesItReadsUnderTheirNames() throws Exception {
        Path a = Files.writeString(dir.resolve("ioc1.toml"), "[process]\ncommand = [\"./st.cmd\"]\n");
        Path b = Files.writeString(Files.createDirectory(dir.resolve("d")).resolve("ioc2.toml"), "x");

        Request r = request("add", "--now", "--force", a.toString(), b.toString());

        assertEquals("add", r.verb());
        assertEquals(List.of("ioc1.toml", "ioc2.toml"), r.args());
        assertEquals(Map.of("now", "true", "force", "true", "origin.ioc1.toml", dir.toAbsolutePath().toString(),
                "origin.ioc2.toml", dir.resolve("d").toAbsolutePath().toString()), r.options());
        assertArrayEquals(Files.readAllBytes(a), r.files().get("ioc1.toml"));
        assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), r.files().get("ioc2.toml"));
    }

    @Test
    void addInProcServUtilsFormWritesTheUnitFile() {
        Request r = request("add", "-A", "-C", "/epics/ioc", "-P", "20000", "-U", "softioc", "-G", "epics",
                "-e", "A=1", "-e", "B=x \"y\"", "-E", "/etc/site.env", "ioc1", "--", "softIoc", "-d", "my db.db");

        assertEquals(List.of("ioc1.toml"), r.args());
        assertEquals(Map.of("now", "true"), r.options());
        assertEquals("""
                # Written by 'manage-procs add ioc1'; edit freely.

                [process]
                command = ["softIoc", "-d", "my db.db"]
                chdir = "/epics/ioc"
                user = "softioc"
                group = "epics"
                env = { "A" = "1", "B" = "x \\"y\\"" }
                env_file = "/etc/site.env"

                [console]
                listen = ["20000"]
                """, new String(r.files().get("ioc1.toml"), StandardCharsets.UTF_8));
    }

    @Test
    void addResolvesRelativePathsAgainstTheClientsDirectory() {
        Request r = request("add", "-C", "iocBoot/x", "-E", "site.env", "ioc1", "--", "./st.cmd");
        String toml = new String(r.files().get("ioc1.toml"), StandardCharsets.UTF_8);
        Path cwd = Path.of("").toAbsolutePath();
        assertTrue(toml.contains("chdir = \"" + cwd.resolve("iocBoot/x") + "\"\n"), toml);
        assertTrue(toml.contains("env_file = \"" + cwd.resolve("site.env") + "\"\n"), toml);
        assertTrue(request("add", "ioc1", "--", "./st.cmd").files().containsKey("ioc1.toml"));
    }

    @Test
    void usageErrorsAreParameterExceptions() throws Exception {
        Path a = Files.writeString(dir.resolve("ioc1.toml"), "x");
        assertUsage("name the units to start (glob patterns allowed), or pass --all", "start");
        assertUsage("give unit patterns or --all, not both", "stop", "--all", "ioc1");
        assertUsage("'bogus' is not a signal; give a name like TERM, SIGHUP or INT, or a number from 1 to 64",
                "kill", "ioc1", "-s", "bogus");
        assertUsage("'ioc1' is not a unit file; to create unit ioc1 give its command: "
                + "manage-procs add ioc1 -- CMD ARGS...", "add", "ioc1");
        assertUsage("-C, -P, -U, -G, -e and -E describe a new unit: use them as 'add NAME [options] -- CMD', "
                + "not with unit files", "add", "-C", "/x", a.toString());
        assertUsage("-e 'NOVALUE' is not KEY=VALUE; write it like -e EPICS_CA_SERVER_PORT=5064",
                "add", "-e", "NOVALUE", "ioc1", "--", "x");
    }

    private static void assertUsage(String message, String... args) {
        ParameterException e = assertThrows(ParameterException.class, () -> request(args));
        assertEquals(message, e.getMessage());
    }

    @Test
    void addOfAMissingOrHugeFileFailsBeforeSending() throws Exception {
        ClientFailure missing = assertThrows(ClientFailure.class, () -> request("add", dir + "/nope.toml"));
        assertEquals(dir + "/nope.toml: no such file; to create a unit from a command use "
                + "'manage-procs add NAME -- CMD ARGS...'", missing.getMessage());
        Path big = Files.write(dir.resolve("big.toml"), new byte[300 << 10]);
        ClientFailure huge = assertThrows(ClientFailure.class, () -> request("add", big.toString()));
        assertEquals(big + " is 307200 bytes; a unit file may have at most 256 KiB", huge.getMessage());
    }

    // ---- whole command lines through Main against a real control socket ----

    private static MainRun run(String... args) {
        return MainRun.of(args);
    }

    private Path managerConfig(Path socket) throws Exception {
        return Files.writeString(dir.resolve("manager.toml"), "control_socket = \"" + socket + "\"\n");
    }

    @Test
    void commandsPrintTheResponseAndExitWithItsCode() throws Exception {
        Path socket = dir.resolve("run/control.sock");
        List<Request> seen = Collections.synchronizedList(new ArrayList<>());
        try (ControlServer server = new ControlServer(socket, 0600, Optional.empty(), new Authorizer(0, "x"),
                (req, peer) -> {
                    seen.add(req);
                    return req.verb().equals("write-procs-cf") ? Response.ok("console ioc1 {}\n")
                            : new Response(3, "UNIT STATE\nioc1 STOPPED\n", "manage-procs: ioc1 is not running\n");
                }, new Ping(ProcessHandle.current().pid(), "test", 0))) {
            server.start();
            String config = managerConfig(socket).toString();

            MainRun status = run("--config", config, "status", "ioc1");
            assertEquals(new MainRun(3, "UNIT STATE\nioc1 STOPPED\n", "manage-procs: ioc1 is not running\n"), status);
            assertEquals(Request.of("status", "ioc1"), seen.get(0));

            Path cf = dir.resolve("procs.cf");
            MainRun write = run("write-procs-cf", "--config", config, "-o", cf.toString());
            assertEquals(new MainRun(0, "", ""), write);
            assertEquals("console ioc1 {}\n", Files.readString(cf));
        }
    }

    @Test
    void withoutAManagerTheClientSaysHowToStartOne() throws Exception {
        Path socket = dir.resolve("nothing-here.sock");
        MainRun r = run("--config", managerConfig(socket).toString(), "status");
        assertEquals(new MainRun(1, "", "manage-procs: no manager is running on " + socket + "; start one with "
                + "'manage-procs --system daemon' (or 'systemctl start manage-procs')\n"), r);
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        String config = managerConfig(dir.resolve("x.sock")).toString();
        MainRun r = run("--config", config, "start");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("name the units to start (glob patterns allowed), or pass --all\n"), r.err());
        assertEquals(2, run("status", "--bogus").exit());
        assertEquals(2, run("show").exit());
        assertEquals(2, run("show", "a", "b").exit());
        assertEquals(2, run("--user", "--system", "--config", config, "status").exit());
    }

    @Test
    void removeWithoutForceIsRefusedWhenStdinIsNoTerminal() throws Exception {
        MainRun r = run("--config", managerConfig(dir.resolve("x.sock")).toString(), "remove", "ioc1");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("remove asks before deleting unit files but standard input is not a "
                + "terminal; pass -f to remove without asking\n"), r.err());
    }

    @Test
    void aBrokenManagerConfigIsReportedWithItsPosition() throws Exception {
        Path config = Files.writeString(dir.resolve("manager.toml"), "control_socket = [\n");
        MainRun r = run("--config", config.toString(), "status");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("manage-procs: " + config + ":2:1: TOML syntax error: unexpected end of input"), r.err());
        assertTrue(r.err().endsWith("; fix the manager config first\n"), r.err());
    }
}
