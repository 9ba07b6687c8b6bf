package dev.manageprocs.unit;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;
import org.tomlj.Toml;
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
        return new Found(array.get(i), layer, name + "[" + i + "]", p.line(), p.column());
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
            problems.add(problem(name + " = " + (raw instanceof String s ? "\"" + Toml.tomlEscape(s) + "\"" : raw) + " "
                    + e.getMessage()));
            return null;
        }
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
