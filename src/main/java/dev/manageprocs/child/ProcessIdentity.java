package dev.manageprocs.child;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who a pid is: its start time, so a pid read from disk is only trusted when it still names the same
 * process and not a recycled pid.
 */
public final class ProcessIdentity {
    private static final int START_TIME_FIELD = 22;
    /** comm is at most 16 bytes and the 52 numeric fields at most 21 digits each. */
    private static final int STAT_MAX = 1536;

    private ProcessIdentity() {
    }

    /** Field 22 of /proc/<pid>/stat (clock ticks after boot); empty when there is no such process. */
    public static OptionalLong startTime(int pid) {
        // one small read: the line is well under 1 KiB (readAllBytes would allocate 8 KiB at every spawn)
        byte[] stat = new byte[STAT_MAX];
        int length;
        try (InputStream in = Files.newInputStream(Path.of("/proc", Integer.toString(pid), "stat"))) {
            length = in.readNBytes(stat, 0, STAT_MAX);
        } catch (IOException gone) {
            return OptionalLong.empty();
        }
        // Field 2 is "(comm)" and comm may hold spaces and ')': the fields after it start past the last ')'.
        int end = length - 1;
        while (end >= 0 && stat[end] != ')') {
            end--;
        }
        String[] rest = new String(stat, end + 2, length - end - 2, StandardCharsets.US_ASCII).trim().split(" ");
        return OptionalLong.of(Long.parseLong(rest[START_TIME_FIELD - 3]));
    }

    /** USER_HZ: the kernel reports /proc times in 1/100 s on every Linux architecture we run on. */
    private static final int TICKS_PER_SECOND = 100;

    /** When the process started, from its start time and the boot time in /proc/stat; empty when gone. */
    public static Optional<Instant> startedAt(int pid) {
        OptionalLong ticks = startTime(pid);
        if (ticks.isEmpty()) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("btime ")) {
                    long boot = Long.parseLong(line.substring(6).trim());
                    return Optional.of(Instant.ofEpochSecond(boot).plusMillis(ticks.getAsLong() * 1000 / TICKS_PER_SECOND));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no boot time: the start cannot be placed in time, so it cannot be trusted either
        }
        return Optional.empty();
    }
}
