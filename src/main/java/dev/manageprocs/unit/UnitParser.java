package dev.manageprocs.unit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.tomlj.TomlParseResult;

/** Reads one unit file into a valid {@link Unit}, or into every problem it has. */
public final class UnitParser {
    /** What a unit name (the file name without ".toml") may look like. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
    public static final String SUFFIX = ".toml";

    private UnitParser() {
    }

    /** Reads and parses file. Diagnostics name the file as given (relative stays relative). */
    public static ParseResult parse(Path file, Defaults defaults) {
        List<Diagnostic> problems = new ArrayList<>();
        String text = TomlSource.read(file, problems);
        return text == null ? new ParseResult.Failed(problems) : parse(file, text, defaults);
    }

    /**
     * Parses text as the content of file: the file name gives the unit name, its directory resolves
     * relative paths (chdir, env_file, log.file, unix: endpoints).
     */
    public static ParseResult parse(Path file, String text, Defaults defaults) {
        List<Diagnostic> problems = new ArrayList<>();
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(SUFFIX) ? fileName.substring(0, fileName.length() - SUFFIX.length()) : null;
        if (name == null) {
            problems.add(new Diagnostic(file, 0, 0, "unit files must be named NAME.toml; rename the file"));
        } else if (!NAME.matcher(name).matches()) {
            problems.add(new Diagnostic(file, 0, 0, "'" + name + "' is not a valid unit name: it must start with a letter"
                    + " or digit and have at most 64 letters, digits, '_', '.', '@' or '-'; rename the file"));
        }
        TomlParseResult toml = TomlSource.parse(text, file, problems);
        List<String> lines = TomlSource.lines(text);
        if (!toml.errors().isEmpty()) {
            return new ParseResult.Failed(problems); // the tree is incomplete: checking it would mislead
        }
        Path absolute = file.toAbsolutePath().normalize();
        List<Layer> layers = new ArrayList<>();
        layers.add(new Layer(toml, file, absolute.getParent(), "", lines));
        defaults.layer().ifPresent(layers::add);
        UnitReader reader = new UnitReader(layers);
        Unit unit = reader.unit(name, absolute);
        problems.addAll(reader.problems());
        return problems.isEmpty() ? new ParseResult.Ok(unit, reader.sourceMap(file), text) : new ParseResult.Failed(problems);
    }

    /** Whether name is a valid unit name (for commands that take unit names). */
    public static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }
}
