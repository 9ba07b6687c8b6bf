package dev.manageprocs.sidecar;

import dev.manageprocs.unit.TimestampFormat;
import java.nio.charset.StandardCharsets;
import java.text.ParsePosition;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.format.SignStyle;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Reads back the time stamp that {@link LinePrefixer} put at the start of a console-log line, with the
 * unit's {@code timestamp_format}: what {@code logs --since} selects by. Fields the format leaves out
 * take today's date (year, month, day) and 0 (hour, minute, second) in the manager's time zone.
 */
public final class LogTime {
    /** Enough of a line for any time stamp. */
    private static final int PREFIX = 96;

    private final DateTimeFormatter formatter;

    public LogTime(TimestampFormat format, ZoneId zone) {
        this.formatter = compile(format.pattern(), zone);
    }

    /** Milliseconds since the epoch of the line's time stamp; empty when the line does not start with one. */
    public OptionalLong millis(byte[] line, int off, int len) {
        String text = new String(line, off, Math.min(len, PREFIX), StandardCharsets.ISO_8859_1);
        ParsePosition pos = new ParsePosition(0);
        try {
            TemporalAccessor t = formatter.parse(text, pos);
            return OptionalLong.of(Instant.from(t).toEpochMilli());
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static DateTimeFormatter compile(String pattern, ZoneId zone) {
        DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().parseCaseInsensitive();
        boolean epoch = false;
        boolean year = false;
        boolean date = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                b.appendLiteral(c);
                continue;
            }
            c = pattern.charAt(++i);
            year |= "YyF".indexOf(c) >= 0;
            date |= "deFj".indexOf(c) >= 0;
            epoch |= c == 's';
            switch (c) {
                case 'Y' -> b.appendValue(ChronoField.YEAR, 4, 10, SignStyle.NORMAL);
                case 'y' -> b.appendValueReduced(ChronoField.YEAR, 2, 2, 2000);
                case 'm' -> b.appendValue(ChronoField.MONTH_OF_YEAR, 2);
                case 'd' -> b.appendValue(ChronoField.DAY_OF_MONTH, 2);
                case 'e' -> b.padNext(2, ' ').appendValue(ChronoField.DAY_OF_MONTH);
                case 'H' -> b.appendValue(ChronoField.HOUR_OF_DAY, 2);
                case 'M' -> b.appendValue(ChronoField.MINUTE_OF_HOUR, 2);
                case 'S' -> b.appendValue(ChronoField.SECOND_OF_MINUTE, 2);
                case 'j' -> b.appendValue(ChronoField.DAY_OF_YEAR, 3);
                case 'a' -> b.appendText(ChronoField.DAY_OF_WEEK, TextStyle.SHORT);
                case 'b' -> b.appendText(ChronoField.MONTH_OF_YEAR, TextStyle.SHORT);
                case 'F' -> b.appendValue(ChronoField.YEAR, 4, 10, SignStyle.NORMAL).appendLiteral('-')
                        .appendValue(ChronoField.MONTH_OF_YEAR, 2).appendLiteral('-')
                        .appendValue(ChronoField.DAY_OF_MONTH, 2);
                case 'T' -> b.appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
                        .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
                        .appendValue(ChronoField.SECOND_OF_MINUTE, 2);
                case 's' -> b.appendValue(ChronoField.INSTANT_SECONDS);
                case 'z' -> b.appendOffset("+HHMM", "+0000");
                // what the writer prints for %Z (the zone's name, "CET" also in summer): text to skip, not a zone
                case 'Z' -> b.appendLiteral(zone.getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case '3' -> {
                    i++; // the 'N' of %3N
                    b.appendValue(ChronoField.MILLI_OF_SECOND, 3);
                }
                default -> b.appendLiteral('%');
            }
        }
        if (!epoch) {
            LocalDate today = LocalDate.now(zone);
            if (!year) {
                b.parseDefaulting(ChronoField.YEAR, today.getYear());
            }
            if (!date) {
                b.parseDefaulting(ChronoField.MONTH_OF_YEAR, today.getMonthValue())
                        .parseDefaulting(ChronoField.DAY_OF_MONTH, today.getDayOfMonth());
            }
            b.parseDefaulting(ChronoField.HOUR_OF_DAY, 0).parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                    .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0);
        }
        return b.toFormatter(Locale.ROOT).withZone(zone).withResolverStyle(ResolverStyle.SMART);
    }
}
