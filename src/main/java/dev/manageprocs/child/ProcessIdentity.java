package dev.manageprocs.child;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Who a pid is: its start time, so a pid read from disk is only trusted when it still names the same
 * process and not a recycled pid.
 */
public final class ProcessIdentity {
    private static final int START_TIME_FIELD = 22;

    private ProcessIdentity() {
    }

    /** Field 22 of /proc/<pid>/stat (clock ticks after boot); empty when there is no such process. */
    public static OptionalLong startTime(int pid) {
        byte[] stat;
        try {
            stat = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "stat"));
        } catch (IOException gone) {
            return OptionalLong.empty();
        }
        // Field 2 is "(comm)" and comm may hold spaces and ')': the fields after it start past the last ')'.
        int end = stat.length - 1;
        while (end >= 0 && stat[end] != ')') {
            end--;
        }
        String[] rest = new String(stat, end + 2, stat.length - end - 2, StandardCharsets.US_ASCII).trim().split(" ");
        return OptionalLong.of(Long.parseLong(rest[START_TIME_FIELD - 3]));
    }
}
