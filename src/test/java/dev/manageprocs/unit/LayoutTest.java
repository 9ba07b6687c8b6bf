package dev.manageprocs.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LayoutTest {

    @Test
    void systemPaths() {
        Layout l = Layout.system();
        assertEquals(Layout.Mode.SYSTEM, l.mode());
        assertEquals(Path.of("/etc/manage-procs/manager.toml"), l.configFile());
        assertEquals(Path.of("/etc/manage-procs/units"), l.unitDir());
        assertEquals(Path.of("/run/manage-procs"), l.rundir());
        assertEquals(Path.of("/run/manage-procs/control.sock"), l.controlSocket());
        assertEquals(Path.of("/var/log/manage-procs"), l.logdir());
    }

    @Test
    void userPathsWithoutXdgVariables() {
        Layout l = Layout.user(Map.of(), Path.of("/home/op"), 1234);
        assertEquals(Layout.Mode.USER, l.mode());
        assertEquals(Path.of("/home/op/.config/manage-procs/manager.toml"), l.configFile());
        assertEquals(Path.of("/home/op/.config/manage-procs/units"), l.unitDir());
        assertEquals(Path.of("/tmp/manage-procs-1234"), l.rundir());
        assertEquals(Path.of("/tmp/manage-procs-1234/control.sock"), l.controlSocket());
        assertEquals(Path.of("/home/op/.local/state/manage-procs/log"), l.logdir());
    }

    @Test
    void userPathsHonourXdgVariables() {
        Layout l = Layout.user(Map.of("XDG_CONFIG_HOME", "/t/cfg", "XDG_STATE_HOME", "/t/state",
                "XDG_RUNTIME_DIR", "/t/run"), Path.of("/home/op"), 1234);
        assertEquals(Path.of("/t/cfg/manage-procs/manager.toml"), l.configFile());
        assertEquals(Path.of("/t/cfg/manage-procs/units"), l.unitDir());
        assertEquals(Path.of("/t/run/manage-procs"), l.rundir());
        assertEquals(Path.of("/t/state/manage-procs/log"), l.logdir());
    }

    @Test
    void relativeXdgValuesAreIgnoredAsTheSpecSays() {
        Layout l = Layout.user(Map.of("XDG_CONFIG_HOME", "cfg", "XDG_RUNTIME_DIR", ""), Path.of("/home/op"), 7);
        assertEquals(Path.of("/home/op/.config/manage-procs/units"), l.unitDir());
        assertEquals(Path.of("/tmp/manage-procs-7"), l.rundir());
    }

    @Test
    void requestedModeWins() {
        assertEquals(Layout.Mode.SYSTEM, Layout.forThisProcess(Optional.of(Layout.Mode.SYSTEM)).mode());
        assertEquals(Layout.Mode.USER, Layout.forThisProcess(Optional.of(Layout.Mode.USER)).mode());
    }
}
