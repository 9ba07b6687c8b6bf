package dev.manageprocs.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every broken/NAME.toml must fail with exactly the lines of NAME.expected (file names relative to
 * the corpus directory). A NAME.manager.toml beside it supplies [defaults].
 */
class BrokenUnitCorpusTest {

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".toml") && !n.endsWith(".manager.toml"))
                    .map(n -> n.substring(0, n.length() - ".toml".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithExactlyTheExpectedMessages(String name) throws Exception {
        Path dir = dir();
        Defaults defaults = Defaults.NONE;
        Path manager = dir.resolve(name + ".manager.toml");
        if (Files.exists(manager)) {
            var loaded = ManagerConfig.load(Layout.system(), Optional.of(manager));
            defaults = assertInstanceOf(ManagerConfig.Result.Ok.class, loaded).config().defaults();
        }
        ParseResult result = UnitParser.parse(dir.resolve(name + ".toml"), defaults);
        var failed = assertInstanceOf(ParseResult.Failed.class, result, name + " should not parse");
        String actual = failed.diagnostics().stream()
                .map(d -> d.toString().replace(dir + "/", ""))
                .collect(Collectors.joining("\n", "", "\n"));
        assertEquals(Files.readString(dir.resolve(name + ".expected")), actual);
    }

    private static Path dir() throws URISyntaxException {
        return Path.of(BrokenUnitCorpusTest.class.getResource("broken").toURI());
    }
}
