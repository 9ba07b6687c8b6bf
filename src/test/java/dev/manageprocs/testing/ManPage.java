package dev.manageprocs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-written roff man page read the way a reader scans it: the tags of its .TP entries (option
 * names, keys), grouped by the .SH or .SS heading they are under, with the roff markup removed.
 */
public final class ManPage {
    public final Path file;
    /** Heading (as printed, first word of an .SS title included) to the .TP tags under it. */
    private final Map<String, List<String>> tags = new LinkedHashMap<>();
    private final List<String> headings = new ArrayList<>();

    public ManPage(Path file) throws IOException {
        this.file = file;
        List<String> lines = Files.readAllLines(file);
        String heading = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith(".SH ") || line.startsWith(".SS ")) {
                heading = plain(line.substring(4));
                headings.add(heading);
            } else if (line.equals(".TP") && i + 1 < lines.size()) {
                tags.computeIfAbsent(heading, h -> new ArrayList<>()).add(plain(lines.get(i + 1)));
            }
        }
    }

    /** The .TP tags under every heading whose first word is {@code firstWord}. */
    public List<String> tagsUnder(String firstWord) {
        List<String> out = new ArrayList<>();
        tags.forEach((heading, t) -> {
            if (heading.equals(firstWord) || heading.startsWith(firstWord + " ")) {
                out.addAll(t);
            }
        });
        return out;
    }

    public boolean hasHeading(String firstWord) {
        return headings.stream().anyMatch(h -> h.equals(firstWord) || h.startsWith(firstWord + " "));
    }

    /** Text of a roff line without its macro, font escapes and argument quotes. */
    static String plain(String roff) {
        String s = roff.startsWith(".") ? roff.replaceFirst("^\\.[A-Z]{1,2}\\s*", "") : roff;
        s = s.replaceAll("\\\\f[BIRP]", "").replace("\\-", "-").replace("\\(dq", "\u0001").replace("\\(aq", "'");
        return s.replace("\"", "").replace('\u0001', '"').strip();
    }
}
