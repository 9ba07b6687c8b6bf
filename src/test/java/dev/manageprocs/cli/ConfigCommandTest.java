package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manageprocs.testing.MainRun;
import dev.manageprocs.unit.Layout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code manage-procs config}: the effective manager.toml as TOML, one key's bare value for scripts. */
class ConfigCommandTest {
    @TempDir
    Path dir;

    private static MainRun run(String... args) {
        return MainRun.of(args);
    }

    private String managerToml(String text) throws Exception {
        return Files.writeString(dir.resolve("manager.toml"), text).toString();
    }

    @Test
    void everyKeyWithItsEffectiveValueAsToml() throws Exception {
        String file = managerToml("unit_dirs = [\"units\", \"/opt/\\\"q\\\"\"]\nrundir = \"/run/mp\"\nupgrade = \"none\"\n"
                + "[defaults.restart]\nholdoff = \"1s\"\n");
        MainRun r = run("--user", "--config", file, "config");
        assertEquals(new MainRun(0, "# " + file + " (user mode)\n"
                + "unit_dirs = [\"" + dir.resolve("units") + "\", \"/opt/\\\"q\\\"\"]\n"
                + "rundir = \"/run/mp\"\n"
                + "logdir = \"" + Layout.forThisProcess(Optional.of(Layout.Mode.USER)).logdir() + "\"\n"
                + "control_socket = \"/run/mp/control.sock\"\n"
                + "control_group = \"manage-procs\"\n"
                + "upgrade = \"none\"\n", ""), r);
    }

    @Test
    void oneKeyIsItsBareValueOnePerLine() throws Exception {
        String file = managerToml("unit_dirs = [\"/a\", \"/b\"]\nupgrade = \"restart-units\"\n");
        assertEquals(new MainRun(0, "restart-units\n", ""), run("--config", file, "config", "upgrade"));
        assertEquals(new MainRun(0, "/a\n/b\n", ""), run("--config", file, "config", "unit_dirs"));
        assertEquals(new MainRun(0, "reexec\n", ""), run("--config", managerToml(""), "config", "upgrade"), "the default");
    }

    @Test
    void mistakesAreSaidWithTheDocumentedExitCodes() throws Exception {
        String file = managerToml("upgrade = \"sometimes\"\n");
        MainRun bad = run("--config", file, "config", "upgrade");
        assertEquals(new MainRun(1, "", file + ":1:1: upgrade = \"sometimes\" is not an upgrade policy; use \"reexec\" (the "
                + "new code takes over, no unit stops), \"restart-units\" (restart the manager and every unit) or "
                + "\"none\"\n"), bad);
        MainRun unknown = run("--config", managerToml(""), "config", "upgrades");
        assertEquals(new MainRun(2, "", "manage-procs: 'upgrades' is not a key of manager.toml; use one of unit_dirs, "
                + "rundir, logdir, control_socket, control_group, upgrade\n"), unknown);
    }
}
