package dev.manageprocs.unit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

/** Turns a TOML file into a parse tree, or into diagnostics: size limit, strict UTF-8, BOM, syntax errors. */
final class TomlSource {
    /** Unit files and manager.toml are small; a bigger file is a mistake (or an attack on the manager). */
    static final int MAX_BYTES = 1 << 20;
    private static final Pattern TWICE = Pattern.compile("(.+) previously defined at line (\\d+), column \\d+");

    private TomlSource() {
    }

    /** The file's text, or null after adding a problem saying why it cannot be used. */
    static String read(Path file, List<Diagnostic> problems) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                problems.add(new Diagnostic(file, 0, 0, "is larger than 1MiB, which no configuration file needs;"
                        + " check that this is the right file"));
                return null;
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            problems.add(new Diagnostic(file, 0, 0, "does not exist; check the path"));
            return null;
        } catch (AccessDeniedException e) {
            problems.add(new Diagnostic(file, 0, 0, "cannot be read (permission denied); check its permissions"));
            return null;
        } catch (IOException e) {
            problems.add(new Diagnostic(file, 0, 0, "cannot be read (" + e.getMessage() + "); check the path"));
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add(new Diagnostic(file, 0, 0, "is not UTF-8 text; save it as UTF-8"));
            return null;
        }
    }

    /** The parse tree (a leading BOM is dropped, as editors on Windows add one); syntax errors go to problems. */
    static TomlParseResult parse(String text, Path file, List<Diagnostic> problems) {
        TomlParseResult toml = Toml.parse(text.startsWith("\uFEFF") ? text.substring(1) : text); // same as lines()
        for (TomlParseError e : toml.errors()) {
            problems.add(new Diagnostic(file, e.position().line(), e.position().column(), explain(e.getMessage())));
        }
        return toml;
    }

    /** The text's lines as tomlj numbers them (after the BOM). */
    static List<String> lines(String text) {
        return List.of((text.startsWith("\uFEFF") ? text.substring(1) : text).split("\n", -1));
    }

    /** tomlj's message, as one sentence that also says what to do. */
    private static String explain(String message) {
        Matcher twice = TWICE.matcher(message);
        if (twice.matches()) {
            return "'" + twice.group(1) + "' is defined twice (first on line " + twice.group(2) + "); remove one of them";
        }
        String what = "TOML syntax error: " + message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
        if (message.startsWith("Invalid escape sequence")) {
            return what + "; write \\\\ for a backslash, or use 'single quotes' for a literal string";
        }
        if (message.contains("a number, a boolean")) {
            return what + "; text values need quotes, like key = \"text\"";
        }
        return what + "; fix the TOML syntax";
    }
}
