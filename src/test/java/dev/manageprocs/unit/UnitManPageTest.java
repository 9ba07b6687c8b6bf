package dev.manageprocs.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.ManPage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * manage-procs.toml(5) documents every key the schema accepts, and the packaged manager.toml is a
 * valid configuration whose commented settings are valid too.
 */
class UnitManPageTest {
    private static final Path PAGE = Path.of("man/manage-procs.toml.5");
    private static final Path PACKAGED_CONFIG = Path.of("packaging/etc/manager.toml");

    private static boolean documented(List<String> tags, String key) {
        return tags.stream().anyMatch(t -> t.equals(key) || t.startsWith(key + " "));
    }

    /** Leaf keys of a table, dotted below it: "stop_timeout", "keys.kill". */
    private static void leaves(UnitSchema.Node node, String prefix, List<String> out) {
        node.keys().forEach((name, child) -> {
            if (child.kind() == UnitSchema.Kind.TABLE) {
                leaves(child, prefix + name + ".", out);
            } else {
                out.add(prefix + name);
            }
        });
    }

    @Test
    void everyKeyOfTheSchemaIsInTheManPage() throws Exception {
        ManPage page = new ManPage(PAGE);
        List<String> missing = new ArrayList<>();
        UnitSchema.UNIT.keys().forEach((name, node) -> {
            if (node.kind() == UnitSchema.Kind.TABLE) {
                List<String> keys = new ArrayList<>();
                leaves(node, "", keys);
                List<String> tags = page.tagsUnder("[" + name + "]");
                keys.stream().filter(k -> !documented(tags, k)).forEach(k -> missing.add("[" + name + "] " + k));
            } else if (!documented(page.tagsUnder("TOP-LEVEL"), name)) {
                missing.add("TOP-LEVEL KEYS: " + name);
            }
        });
        List<String> managerTags = page.tagsUnder("MANAGER");
        UnitSchema.MANAGER.keys().keySet().stream().filter(k -> !documented(managerTags, k))
                .forEach(k -> missing.add("MANAGER CONFIGURATION: " + k));
        assertTrue(missing.isEmpty(), () -> PAGE + " lacks keys the schema accepts; add a .TP entry for each:\n  "
                + String.join("\n  ", missing));
    }

    @Test
    void thePackagedManagerTomlParsesAsItIsAndWithEverySettingUncommented() throws Exception {
        Layout layout = Layout.system();
        String text = Files.readString(PACKAGED_CONFIG);
        var asShipped = ManagerConfig.parse(PACKAGED_CONFIG, text, layout);
        assertInstanceOf(ManagerConfig.Result.Ok.class, asShipped, asShipped::toString);

        String uncommented = text.lines().map(l -> l.matches("# ?[a-z_\\[].*[=\\]].*") ? l.replaceFirst("# ?", "") : l)
                .reduce("", (a, b) -> a + b + "\n");
        var all = ManagerConfig.parse(PACKAGED_CONFIG, uncommented, layout);
        assertInstanceOf(ManagerConfig.Result.Ok.class, all, () -> all + "\n" + uncommented);
        ManagerConfig c = ((ManagerConfig.Result.Ok) all).config();
        ManagerConfig defaults = ManagerConfig.of(layout);
        assertEquals(defaults.unitDirs(), c.unitDirs(), "the commented values must be the defaults");
        assertEquals(defaults.rundir(), c.rundir());
        assertEquals(defaults.logdir(), c.logdir());
        assertEquals(defaults.controlSocket(), c.controlSocket());
        assertEquals(defaults.controlGroup(), c.controlGroup());
        assertEquals(defaults.upgrade(), c.upgrade());
    }
}
