package dev.manageprocs.unit;

import java.nio.file.Path;

/**
 * One user-facing problem in a file: {@code FILE:LINE:COL: message}. Line and column are 1-based;
 * 0 when unknown (then omitted from the text).
 */
public record Diagnostic(Path file, int line, int column, String message) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file.toString());
        if (line > 0) {
            b.append(':').append(line);
            if (column > 0) {
                b.append(':').append(column);
            }
        }
        return b.append(": ").append(message).toString();
    }
}
