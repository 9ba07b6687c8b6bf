package dev.manageprocs.unit;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Unit-file sizes: "64KiB", "10MiB", "1GiB", "512B", "0", or a number of bytes (powers of 1024). */
final class Sizes {
    static final String EXAMPLES = "\"64KiB\", \"10MiB\", \"1GiB\" or a number of bytes";
    private static final BigDecimal MAX = BigDecimal.valueOf(1L << 50); // 1 PiB: far beyond any sane buffer or file
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|K|KiB|M|MiB|G|GiB|T|TiB)?");

    private Sizes() {
    }

    /** Parses the text form; the exception message completes "history = "x" ..." for the user. */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a size; write it like " + EXAMPLES
                    + " (KiB, MiB and GiB are powers of 1024)");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = switch (unit.charAt(0)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
        if (bytes.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("is larger than 1PiB; use a smaller size");
        }
        return bytes.longValue();
    }

    /** A TOML integer number of bytes. */
    static long ofBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("is negative; use 0 or a positive size");
        }
        if (bytes > MAX.longValue()) {
            throw new IllegalArgumentException("is larger than 1PiB; use a smaller size");
        }
        return bytes;
    }

    /** The unit-file spelling of a byte count: "64KiB", "10MiB", or plain bytes when not a whole unit. */
    static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
