package dev.manageprocs.unit;

import java.nio.file.Path;

/** The {@code [log]} table. {@code keep == 0}: never rotate. */
public record LogSpec(LogTarget file, boolean timestamp, TimestampFormat timestampFormat, long maxSize, int keep) {

    /** Where the console log goes. */
    public sealed interface LogTarget {
        /** "default": {@code <logdir>/<name>.log}. */
        record Default() implements LogTarget {
        }

        /** "": no log file. */
        record None() implements LogTarget {
        }

        record File(Path path) implements LogTarget {
        }
    }
}
