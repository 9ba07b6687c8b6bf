package dev.manageprocs.manager;

import dev.manageprocs.unit.Defaults;
import dev.manageprocs.unit.Diagnostic;
import dev.manageprocs.unit.ParseResult;
import dev.manageprocs.unit.UnitParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads every {@code *.toml} of the unit directories: the valid units for this host, and what was
 * skipped with why. A broken file never stops the others. Runs off the event loop (it reads files).
 */
public record UnitScan(List<ParseResult.Ok> units, List<Skipped> skipped) {

    public static UnitScan of(List<Path> unitDirs, Defaults defaults, String hostname) {
        List<ParseResult.Ok> units = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path dir : unitDirs) {
            for (Path file : unitFiles(dir, skipped)) {
                String name = nameOf(file);
                switch (UnitParser.parse(file, defaults)) {
                    case ParseResult.Failed f -> skipped.add(new Skipped(name, file, Skipped.Kind.BROKEN, describe(f)));
                    case ParseResult.Ok ok -> {
                        String host = ok.unit().host().orElse(null);
                        if (host != null && !Hostname.matches(host, hostname)) {
                            skipped.add(new Skipped(name, file, Skipped.Kind.OTHER_HOST,
                                    "host = \"" + host + "\" but this is " + hostname));
                        } else {
                            units.add(ok);
                        }
                    }
                }
            }
        }
        return new UnitScan(units, skipped);
    }

    /** The unit name a file would have (its name without ".toml"). */
    public static String nameOf(Path file) {
        String f = file.getFileName().toString();
        return f.endsWith(UnitParser.SUFFIX) ? f.substring(0, f.length() - UnitParser.SUFFIX.length()) : f;
    }

    static String describe(ParseResult.Failed failed) {
        return failed.diagnostics().stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
    }

    private static List<Path> unitFiles(Path dir, List<Skipped> skipped) {
        if (!Files.isDirectory(dir)) {
            return List.of(); // a configured but absent unit dir simply holds no units yet
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(UnitParser.SUFFIX))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            skipped.add(new Skipped("-", dir, Skipped.Kind.BROKEN,
                    dir + ": cannot list the unit directory: " + e.getMessage()));
            return List.of();
        }
    }
}
