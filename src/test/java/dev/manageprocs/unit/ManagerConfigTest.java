package dev.manageprocs.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** manager.toml: paths over the layout, [defaults] checked on their own and merged key by key into units. */
class ManagerConfigTest {

    @TempDir
    Path dir;

    private final Layout layout = Layout.user(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), Path.of("/home/op"), 1000);

    private ManagerConfig config(String text) {
        var r = ManagerConfig.parse(dir.resolve("manager.toml"), text, layout);
        return assertInstanceOf(ManagerConfig.Result.Ok.class, r, () -> r.toString()).config();
    }

    private String problems(String text) {
        var r = ManagerConfig.parse(Path.of("manager.toml"), text, layout);
        return assertInstanceOf(ManagerConfig.Result.Failed.class, r).diagnostics().stream()
                .map(Diagnostic::toString).collect(Collectors.joining("\n"));
    }

    private Unit unit(ManagerConfig c, String text) {
        var r = UnitParser.parse(dir.resolve("ioc.toml"), text, c.defaults());
        return assertInstanceOf(ParseResult.Ok.class, r, () -> r.toString()).unit();
    }

    @Test
    void emptyFileMeansTheLayout() {
        ManagerConfig c = config("");
        assertEquals(List.of(Path.of("/home/op/.config/manage-procs/units")), c.unitDirs());
        assertEquals(Path.of("/run/user/1000/manage-procs"), c.rundir());
        assertEquals(Path.of("/run/user/1000/manage-procs/control.sock"), c.controlSocket());
        assertEquals(Path.of("/home/op/.local/state/manage-procs/log"), c.logdir());
        assertEquals("manage-procs", c.controlGroup());
        assertEquals(UpgradePolicy.REEXEC, c.upgrade());
        assertEquals(Layout.Mode.USER, c.mode());
        assertEquals(Optional.of(dir.resolve("manager.toml")), c.file());
    }

    @Test
    void keysOverrideTheLayoutAndRelativePathsAnchorAtTheFile() {
        ManagerConfig c = config("""
                unit_dirs = ["units", "/opt/iocs/units"]
                rundir = "run"
                logdir = "/var/log/iocs"
                control_group = "epics"
                """);
        assertEquals(List.of(dir.resolve("units"), Path.of("/opt/iocs/units")), c.unitDirs());
        assertEquals(dir.resolve("run"), c.rundir());
        assertEquals(dir.resolve("run/control.sock"), c.controlSocket()); // follows rundir
        assertEquals(Path.of("/var/log/iocs"), c.logdir());
        assertEquals("epics", c.controlGroup());
        assertEquals(Path.of("/tmp/mp.sock"), config("control_socket = \"/tmp/mp.sock\"").controlSocket());
    }

    @Test
    void unitValuesOverrideDefaultsKeyByKey() {
        ManagerConfig c = config("""
                [defaults.process]
                chdir = "iocs"
                env = { EPICS_CA_ADDR_LIST = "10.0.0.255", EPICS_CA_AUTO_ADDR_LIST = "NO" }
                stop_timeout = "30s"
                [defaults.restart]
                holdoff = "5s"
                mode = "on-failure"
                [defaults.console]
                keys = { kill = "^K", logout = "" }
                history = "1MiB"
                [defaults.log]
                keep = 2
                """);
        Unit u = unit(c, """
                [process]
                command = ["./st.cmd"]
                env = { EPICS_CA_AUTO_ADDR_LIST = "YES", IOC = "x" }
                [restart]
                holdoff = "1s"
                [console.keys]
                logout = "^D"
                """);
        assertEquals(dir.resolve("iocs"), u.process().chdir()); // relative to manager.toml's directory
        assertEquals(Map.of("EPICS_CA_ADDR_LIST", "10.0.0.255", "EPICS_CA_AUTO_ADDR_LIST", "YES", "IOC", "x"),
                u.process().env());
        assertEquals(Duration.ofSeconds(30), u.process().stopTimeout());
        assertEquals(Duration.ofSeconds(1), u.restart().holdoff());
        assertEquals(RestartMode.ON_FAILURE, u.restart().mode());
        assertEquals(new KeyBindings(new KeySpec(0x0b), new KeySpec(0x14), new KeySpec(0x12), new KeySpec(0x11),
                new KeySpec(0x04)), u.console().keys());
        assertEquals(1 << 20, u.console().historyBytes());
        assertEquals(2, u.log().keep());
    }

    @Test
    void conflictsBetweenDefaultsAndUnitPointAtTheUnit() {
        ManagerConfig c = config("[defaults.console]\nkeys = { kill = \"^K\" }\n");
        var r = UnitParser.parse(Path.of("ioc.toml"), "[process]\ncommand = [\"x\"]\n[console]\nkeys = { quit = \"^K\" }\n",
                c.defaults());
        assertEquals(List.of("ioc.toml:4:10: [console] keys.quit = \"^K\" is also the kill key; give each action its own"
                + " key, or \"\" to disable one"),
                assertInstanceOf(ParseResult.Failed.class, r).diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void problemsInDefaultsAreReportedInManagerToml() {
        assertEquals("""
                manager.toml:1:1: unknown key 'unit_dir'; did you mean 'unit_dirs'?
                manager.toml:2:1: control_group = "bad group" is not a valid group name; use a name like manage-procs
                manager.toml:4:1: [defaults.process] command is only allowed in unit files; move it to the unit files that need it
                manager.toml:5:1: [defaults.process] stop_timeout must be a duration like "15s", "500ms" or a number of seconds, not a boolean
                manager.toml:6:1: unknown key 'chdr' in [defaults.process]; did you mean 'chdir'?
                manager.toml:8:1: [defaults] description is only allowed in unit files; move it to the unit files that need it
                manager.toml:9:1: unknown section [defaults.logging]; did you mean [defaults.log]?
                manager.toml:11:10: [defaults.console] keys.quit = "^X" is also the kill key; give each action its own key, or "" to disable one""",
                problems("""
                        unit_dir = ["/x"]
                        control_group = "bad group"
                        [defaults.process]
                        command = ["./st.cmd"]
                        stop_timeout = true
                        chdr = "/"
                        [defaults]
                        description = "x"
                        [defaults.logging]
                        [defaults.console]
                        keys = { quit = "^X" }
                        """));
    }

    @Test
    void wrongTypesAtTheTopLevel() {
        assertEquals("""
                manager.toml:1:1: unit_dirs = [] is empty; list at least one directory of unit files
                manager.toml:2:1: rundir must be a directory like "/run/manage-procs", not an integer
                manager.toml:3:1: defaults must be a table, like a [defaults] section, not a string""",
                problems("unit_dirs = []\nrundir = 5\ndefaults = \"x\"\n"));
        assertEquals("manager.toml:1:19: unit_dirs[1] must be a directory like \"/etc/manage-procs/units\", not an"
                + " integer", problems("unit_dirs = [\"a\", 1]\n"));
        assertEquals("manager.toml:1:5: TOML syntax error: unexpected end of line, expected ', \", ''', \"\"\", a number,"
                + " a boolean, a date/time, an array, or a table; text values need quotes, like key = \"text\"",
                problems("x = \n"));
    }

    @Test
    void upgradeTakesThreePoliciesAndSaysWhichForAnythingElse() {
        assertEquals(UpgradePolicy.REEXEC, config("upgrade = \"reexec\"\n").upgrade());
        assertEquals(UpgradePolicy.RESTART_UNITS, config("upgrade = \"restart-units\"\n").upgrade());
        assertEquals(UpgradePolicy.NONE, config("upgrade = \"none\"\n").upgrade());
        assertEquals("manager.toml:2:1: upgrade = \"restart\" is not an upgrade policy; use \"reexec\" (the new code "
                + "takes over, no unit stops), \"restart-units\" (restart the manager and every unit) or \"none\"",
                problems("rundir = \"/run/x\"\nupgrade = \"restart\"\n"));
        assertEquals("manager.toml:1:1: upgrade must be one of \"reexec\", \"restart-units\" or \"none\", not a boolean",
                problems("upgrade = false\n"));
        assertEquals("manager.toml:1:1: unknown key 'upgrades'; did you mean 'upgrade'?", problems("upgrades = \"none\"\n"));
    }

    @Test
    void settingsShowEveryTopLevelKeyButDefaults() {
        ManagerConfig c = config("unit_dirs = [\"a\", \"/b\"]\nupgrade = \"none\"\n");
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(UnitSchema.MANAGER.keys().keySet());
        keys.remove("defaults");
        assertEquals(List.copyOf(keys), List.copyOf(c.settings().keySet()), "in the schema's order");
        assertEquals(List.of(dir.resolve("a").toString(), "/b"), c.settings().get("unit_dirs"));
        assertEquals(List.of("none"), c.settings().get("upgrade"));
        assertEquals(List.of("/run/user/1000/manage-procs/control.sock"), c.settings().get("control_socket"));
    }

    @Test
    void loadFindsTheFileOrFallsBackToTheLayout() throws Exception {
        Layout here = Layout.user(Map.of("XDG_CONFIG_HOME", dir.toString()), Path.of("/home/op"), 1000);
        var missing = ManagerConfig.load(here, Optional.empty());
        assertEquals(ManagerConfig.of(here), assertInstanceOf(ManagerConfig.Result.Ok.class, missing).config());

        Files.createDirectories(here.configFile().getParent());
        Files.writeString(here.configFile(), "control_group = \"ops\"\n");
        var found = ManagerConfig.load(here, Optional.empty());
        assertEquals("ops", assertInstanceOf(ManagerConfig.Result.Ok.class, found).config().controlGroup());

        var explicit = ManagerConfig.load(here, Optional.of(dir.resolve("nope.toml")));
        assertEquals(dir.resolve("nope.toml") + ": does not exist; check the path",
                assertInstanceOf(ManagerConfig.Result.Failed.class, explicit).diagnostics().getFirst().toString());
    }
}
