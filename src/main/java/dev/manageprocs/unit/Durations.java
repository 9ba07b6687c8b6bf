package dev.manageprocs.unit;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Unit-file durations: "15s", "500ms", "2min", "1h", "1h30min", or a number of seconds. */
public final class Durations {
    static final String EXAMPLES = "\"15s\", \"500ms\", \"2min\", \"1h\" or a number of seconds";
    // A year bounds every timer, so deadline arithmetic on nanoTime never overflows.
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Duration.ofDays(365).toNanos());
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern PART = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|min|h|d)");

    private Durations() {
    }

    /** Parses the text form; the exception message completes "holdoff = "x" ..." for the user. */
    public static Duration parse(String text) {
        String t = text.strip();
        if (NUMBER.matcher(t).matches()) {
            return nanos(new BigDecimal(t).multiply(BigDecimal.valueOf(1_000_000_000L)));
        }
        Matcher m = PART.matcher(t);
        BigDecimal total = BigDecimal.ZERO;
        int pos = 0;
        while (pos < t.length()) {
            m.region(pos, t.length());
            if (!m.lookingAt()) {
                throw new IllegalArgumentException("is not a duration; write it like " + EXAMPLES);
            }
            total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            pos = m.end();
        }
        if (pos == 0) {
            throw new IllegalArgumentException("is not a duration; write it like " + EXAMPLES);
        }
        return nanos(total);
    }

    /** A TOML number of seconds (integer or float). */
    static Duration ofSeconds(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("is not a duration; write it like " + EXAMPLES);
        }
        if (seconds < 0) {
            throw new IllegalArgumentException("is negative; use 0 or a positive duration");
        }
        return nanos(new BigDecimal(Double.toString(seconds)).multiply(BigDecimal.valueOf(1_000_000_000L)));
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L; // "d"
        };
    }

    private static Duration nanos(BigDecimal nanos) {
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException("is longer than 365 days; use a shorter duration");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** The unit-file spelling of a duration ("15s", "500ms", "2min", "1h"), for messages and `show`. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "min";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        return String.format("%.1fs", ms / 1000.0);
    }
}
