package dev.manageprocs.unit;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/** A raw TOML value with where it was written, for typing it and for messages about it. */
record Found(Object raw, Layer layer, String name, int line, int column) {

    Diagnostic problem(String message) {
        return new Diagnostic(layer.file(), line, column, message);
    }

    /** Element i of this array value. */
    Found element(int i) {
        TomlArray array = (TomlArray) raw;
        TomlPosition p = array.inputPositionOf(i);
        int[] at = layer.valueStart(p.line(), p.column());
        return new Found(array.get(i), layer, name + "[" + i + "]", at[0], at[1]);
    }

    SourceMap.Location location() {
        return new SourceMap.Location(layer.file(), line, column, name);
    }

    /**
     * The typed value, or null after adding a problem. convert returns null for a wrong TOML type
     * ("NAME must be EXPECTED, not a boolean") and throws IllegalArgumentException for a bad value
     * (its message completes "NAME = VALUE ...").
     */
    <T> T typed(String expected, Function<Found, T> convert, List<Diagnostic> problems) {
        try {
            T value = convert.apply(this);
            if (value == null) {
                problems.add(problem(name + " must be " + expected + ", not " + typeOf(raw)));
            }
            return value;
        } catch (IllegalArgumentException e) {
            problems.add(problem(name + " = " + literal(raw) + " "
                    + e.getMessage()));
            return null;
        }
    }

    /** The value as TOML would write it, for messages: strings quoted, with only '"', '\\' and controls escaped. */
    static String literal(Object raw) {
        if (raw instanceof TomlArray a) {
            return a.isEmpty() ? "[]" : "[...]";
        }
        if (!(raw instanceof String s)) {
            return String.valueOf(raw);
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Converter for paths: a non-empty string, resolved against the directory of the file it is written in. */
    Path asPath() {
        if (!(raw instanceof String s)) {
            return null;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("is empty; give a path, or leave the key out");
        }
        try {
            return layer.baseDir().resolve(s).normalize();
        } catch (InvalidPathException e) { // e.g. a NUL character
            throw new IllegalArgumentException("is not a valid path (" + e.getReason() + "); fix the path");
        }
    }

    /** The TOML type of a value, for "must be X, not a boolean". */
    static String typeOf(Object raw) {
        return switch (raw) {
            case String s -> "a string";
            case Long n -> "an integer";
            case Double d -> "a float";
            case Boolean b -> "a boolean";
            case TomlArray a -> "an array";
            case TomlTable t -> "a table";
            case OffsetDateTime t -> "a date-time";
            case LocalDateTime t -> "a date-time";
            case LocalDate d -> "a date";
            case LocalTime t -> "a time";
            default -> "a " + raw.getClass().getSimpleName();
        };
    }
}
