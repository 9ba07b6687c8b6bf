package dev.manageprocs.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manageprocs.unit.TimestampFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What LinePrefixer writes, LogTime reads back: for every supported field, through the real formatter. */
class LogTimeTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final Instant AT = ZonedDateTime.of(2024, 5, 1, 9, 7, 5, 123_000_000, ZONE).toInstant();

    private static OptionalLong readBack(String pattern, Instant at) {
        TimestampFormat f = new TimestampFormat(pattern);
        byte[] line = (f.format(at, ZONE) + "epics> dbl\r\n").getBytes(StandardCharsets.UTF_8);
        return new LogTime(f, ZONE).millis(line, 0, line.length);
    }

    @Test
    void everyFullFormatReadsBackToTheSameMoment() {
        long seconds = AT.toEpochMilli() / 1000 * 1000;
        assertEquals(OptionalLong.of(seconds), readBack("%Y-%m-%d %H:%M:%S ", AT));
        assertEquals(OptionalLong.of(AT.toEpochMilli()), readBack("[%F %T.%3N] ", AT));
        assertEquals(OptionalLong.of(AT.toEpochMilli()), readBack("[%s.%3N] ", AT));
        assertEquals(OptionalLong.of(seconds), readBack("%a %b %e %T %Y %z: ", AT));
        assertEquals(OptionalLong.of(seconds), readBack("%y%m%d-%H%M%S %Z ", AT));
        assertEquals(OptionalLong.of(seconds), readBack("%Y.%j %T ", AT));
    }

    @Test
    void aFormatWithoutTheDateMeansToday() {
        Instant now = Instant.now().with(java.time.temporal.ChronoField.MILLI_OF_SECOND, 0);
        LocalDate today = LocalDate.now(ZONE);
        Instant todayAtThatTime = now.atZone(ZONE).with(today).toInstant();
        assertEquals(OptionalLong.of(todayAtThatTime.toEpochMilli()), readBack("%T ", now));
    }

    @Test
    void aLineWithoutAStampHasNoTime() {
        byte[] line = "   continued\r\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(OptionalLong.empty(), new LogTime(new TimestampFormat("%Y-%m-%d %H:%M:%S "), ZONE)
                .millis(line, 0, line.length));
    }
}
