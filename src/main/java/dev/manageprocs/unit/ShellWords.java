package dev.manageprocs.unit;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command-line string into argv like a POSIX shell does (quotes and backslashes), without
 * any expansion. Characters that only a real shell would act on are refused rather than passed on
 * literally, so that {@code "ioc | tee x"} never silently means something else than it reads.
 */
final class ShellWords {
    private static final String SHELL_ONLY = "|&;<>()`$";

    private ShellWords() {
    }

    /** The words; the exception message completes "command = "x" ..." for the user. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i++);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '\'') {
                int end = line.indexOf('\'', i);
                if (end < 0) {
                    throw new IllegalArgumentException("has a ' without its closing '; close the quote");
                }
                word.append(line, i, end);
                i = end + 1;
                inWord = true;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word);
                inWord = true;
            } else if (c == '\\') {
                if (i >= line.length()) {
                    throw new IllegalArgumentException("ends with a lone backslash; remove it or write \\\\ for a backslash");
                }
                char next = line.charAt(i++);
                if (next != '\n') { // backslash-newline joins lines
                    word.append(next);
                    inWord = true;
                }
            } else if (SHELL_ONLY.indexOf(c) >= 0 || (c == '#' && !inWord)) {
                throw new IllegalArgumentException("contains '" + c + "', which only a shell understands and no shell runs"
                        + " here; quote it, or use an array like [\"/bin/sh\", \"-c\", \"...\"]");
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends a "..." body starting after the opening quote; returns the index after the closing one. */
    private static int doubleQuoted(String line, int i, StringBuilder word) {
        while (i < line.length()) {
            char c = line.charAt(i++);
            if (c == '"') {
                return i;
            }
            if (c == '$' || c == '`') {
                throw new IllegalArgumentException("contains '" + c + "' in double quotes, which a shell would expand and"
                        + " nothing expands here; use single quotes for a literal '" + c + "'");
            }
            if (c == '\\' && i < line.length() && "\\\"$`\n".indexOf(line.charAt(i)) >= 0) {
                c = line.charAt(i++);
                if (c == '\n') {
                    continue;
                }
            }
            word.append(c);
        }
        throw new IllegalArgumentException("has a \" without its closing \"; close the quote");
    }
}
