package dev.manageprocs.control;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** A small compact JSON writer (RFC 8259) for the --json outputs; no dependency on the client's path. */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    /** Per open container: true until its first member is written (no comma before it). */
    private final Deque<Boolean> first = new ArrayDeque<>();
    private boolean afterName;

    public JsonWriter beginObject() {
        separate();
        out.append('{');
        first.push(true);
        return this;
    }

    public JsonWriter endObject() {
        first.pop();
        out.append('}');
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        out.append('[');
        first.push(true);
        return this;
    }

    public JsonWriter endArray() {
        first.pop();
        out.append(']');
        return this;
    }

    public JsonWriter name(String name) {
        separate();
        quote(out, name);
        out.append(':');
        afterName = true;
        return this;
    }

    public JsonWriter value(String s) {
        separate();
        if (s == null) {
            out.append("null");
        } else {
            quote(out, s);
        }
        return this;
    }

    public JsonWriter value(long n) {
        separate();
        out.append(n);
        return this;
    }

    public JsonWriter value(boolean b) {
        separate();
        out.append(b);
        return this;
    }

    public JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!first.isEmpty()) {
            if (!first.pop()) {
                out.append(',');
            }
            first.push(false);
        }
    }

    /** A JSON array of already-written values, one per line: readable by people, grep and jq alike. */
    public static String arrayOfLines(List<String> values) {
        return values.isEmpty() ? "[]\n" : "[\n  " + String.join(",\n  ", values) + "\n]\n";
    }

    /** A JSON string literal: quotes, backslash and control characters escaped; U+2028/9 too, for JavaScript. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(sb, s);
        return sb.toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)
                            && !pairedSurrogate(s, i)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A lone surrogate is escaped so the output stays valid UTF-8 when encoded. */
    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
