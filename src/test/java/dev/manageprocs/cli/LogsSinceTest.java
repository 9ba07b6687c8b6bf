package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The spellings of logs --since TIME. */
class LogsSinceTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final ZonedDateTime NOW = ZonedDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZONE);

    private static Optional<Long> at(int h, int m, int day) {
        return Optional.of(ZonedDateTime.of(2024, 5, day, h, m, 0, 0, ZONE).toInstant().toEpochMilli());
    }

    @Test
    void dateTimesDatesTimesOfTodayAndDurationsAgo() {
        assertEquals(at(10, 0, 1), LogsCommand.sinceMillis("2024-05-01T10:00", NOW));
        assertEquals(at(10, 0, 1), LogsCommand.sinceMillis("2024-05-01 10:00:00", NOW));
        assertEquals(at(10, 0, 1), LogsCommand.sinceMillis("2024-05-01T08:00Z", NOW));
        assertEquals(at(10, 0, 1), LogsCommand.sinceMillis("2024-05-01T09:00+01:00", NOW));
        assertEquals(at(0, 0, 1), LogsCommand.sinceMillis("2024-05-01", NOW));
        assertEquals(at(10, 0, 1), LogsCommand.sinceMillis("10:00", NOW));
        assertEquals(at(11, 50, 1), LogsCommand.sinceMillis("10min", NOW));
        assertEquals(at(11, 0, 1), LogsCommand.sinceMillis(" 1h ", NOW));
    }

    @Test
    void anythingElseIsNoTime() {
        assertEquals(Optional.empty(), LogsCommand.sinceMillis("yesterday", NOW));
        assertEquals(Optional.empty(), LogsCommand.sinceMillis("10x", NOW));
        assertEquals(Optional.empty(), LogsCommand.sinceMillis("2024-13-01", NOW));
    }
}
