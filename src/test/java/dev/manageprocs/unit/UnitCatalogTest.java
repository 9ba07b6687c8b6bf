package dev.manageprocs.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Clashes between unit files are reported at the later file's listen entry. */
class UnitCatalogTest {

    private static ParseResult.Ok unit(String file, String listen) {
        var r = UnitParser.parse(Path.of(file), "[process]\ncommand = [\"x\"]\n[console]\nallow_remote = true\n"
                + "listen = [" + listen + "]\n", Defaults.NONE);
        return assertInstanceOf(ParseResult.Ok.class, r, () -> r.toString());
    }

    private static List<String> conflicts(ParseResult.Ok... units) {
        return UnitCatalog.conflicts(List.of(units)).stream().map(c -> c.unit().name() + " " + c.diagnostic()).toList();
    }

    @Test
    void samePortOnTheSameOrAWildcardAddressClashes() {
        var a = unit("a.toml", "\"20000\"");
        var b = unit("b.toml", "\"unix:default\", \"tcp:127.0.0.1:20000\"");
        var c = unit("c.toml", "\"tcp:0.0.0.0:20000\"");
        var d = unit("d.toml", "\"tcp:10.1.2.3:20000\"");
        assertEquals(List.of(
                "b b.toml:5:27: [console] listen[1] = \"tcp:127.0.0.1:20000\" is already used by unit 'a' (a.toml:5:11);"
                        + " choose another port, or \"tcp:127.0.0.1:0\" for any free one",
                "c c.toml:5:11: [console] listen[0] = \"tcp:0.0.0.0:20000\" is already used by unit 'a' (a.toml:5:11);"
                        + " choose another port, or \"tcp:127.0.0.1:0\" for any free one"),
                conflicts(a, b, c, d)); // d would clash with c only, and c is not loaded
    }

    @Test
    void differentPortsAddressesDefaultSocketsAndPortZeroDoNotClash() {
        assertEquals(List.of(), conflicts(
                unit("a.toml", "\"unix:default\", \"20000\", \"tcp:127.0.0.1:0\""),
                unit("b.toml", "\"unix:default\", \"20001\", \"tcp:127.0.0.1:0\""),
                unit("c.toml", "\"tcp:10.1.2.3:20000\", \"unix:/run/c.sock\"")));
    }

    @Test
    void sameSocketPathOrAbstractNameClashes() {
        assertEquals(List.of(
                "b b.toml:5:11: [console] listen[0] = \"unix:/run/x.sock\" is already used by unit 'a' (a.toml:5:11);"
                        + " choose another socket path or name",
                "c c.toml:5:11: [console] listen[0] = \"unix:@x\" is already used by unit 'a' (a.toml:5:31);"
                        + " choose another socket path or name"),
                conflicts(unit("a.toml", "\"unix:/run/x.sock\", \"unix:@x\""), unit("b.toml", "\"unix:/run/x.sock\""),
                        unit("c.toml", "\"unix:@x\"")));
    }

    @Test
    void sameUnitNameTwice() {
        assertEquals(List.of("x other/x.toml: unit 'x' is already defined by x.toml; remove or rename one of the two files"),
                conflicts(unit("x.toml", "\"20000\""), unit("other/x.toml", "\"20000\"")));
    }
}
