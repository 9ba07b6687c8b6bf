package dev.manageprocs.unit;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * A compiled strftime subset for console-log line prefixes:
 * {@code %Y %y %m %d %e %H %M %S %j %a %b %F %T %s %z %Z %%} plus {@code %3N} (milliseconds).
 */
public record TimestampFormat(String pattern) {

    static final String SUPPORTED = "%Y %y %m %d %e %H %M %S %j %a %b %F %T %s %z %Z %% %3N";

    public TimestampFormat {
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.charAt(i) != '%') {
                continue;
            }
            if (i + 1 >= pattern.length()) {
                throw new IllegalArgumentException("a lone '%' ends the format; write '%%' for a literal '%'");
            }
            char c = pattern.charAt(++i);
            if (c == '3' && i + 1 < pattern.length() && pattern.charAt(i + 1) == 'N') {
                i++;
            } else if ("YymdeHMSjabFTszZ%".indexOf(c) < 0) {
                throw new IllegalArgumentException("'%" + c + "' is not supported; use " + SUPPORTED);
            }
        }
    }

    public String format(Instant instant, ZoneId zone) {
        ZonedDateTime t = instant.atZone(zone);
        StringBuilder b = new StringBuilder(pattern.length() + 16);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            c = pattern.charAt(++i);
            switch (c) {
                case 'Y' -> b.append(t.getYear());
                case 'y' -> pad(b, t.getYear() % 100, 2, '0');
                case 'm' -> pad(b, t.getMonthValue(), 2, '0');
                case 'd' -> pad(b, t.getDayOfMonth(), 2, '0');
                case 'e' -> pad(b, t.getDayOfMonth(), 2, ' ');
                case 'H' -> pad(b, t.getHour(), 2, '0');
                case 'M' -> pad(b, t.getMinute(), 2, '0');
                case 'S' -> pad(b, t.getSecond(), 2, '0');
                case 'j' -> pad(b, t.getDayOfYear(), 3, '0');
                case 'a' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'b' -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'F' -> {
                    b.append(t.getYear()).append('-');
                    pad(b, t.getMonthValue(), 2, '0');
                    b.append('-');
                    pad(b, t.getDayOfMonth(), 2, '0');
                }
                case 'T' -> {
                    pad(b, t.getHour(), 2, '0');
                    b.append(':');
                    pad(b, t.getMinute(), 2, '0');
                    b.append(':');
                    pad(b, t.getSecond(), 2, '0');
                }
                case 's' -> b.append(instant.getEpochSecond());
                case 'z' -> b.append(t.getOffset().getId().equals("Z") ? "+0000" : t.getOffset().getId().replace(":", ""));
                case 'Z' -> b.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case '3' -> {
                    i++; // the 'N' of %3N
                    pad(b, t.getNano() / 1_000_000, 3, '0');
                }
                default -> b.append('%');
            }
        }
        return b.toString();
    }

    private static void pad(StringBuilder b, int value, int width, char fill) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append(fill);
        }
        b.append(s);
    }
}
