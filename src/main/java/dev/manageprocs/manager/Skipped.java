package dev.manageprocs.manager;

import java.nio.file.Path;

/** A unit file found but not run: for another host, broken, or clashing with a loaded unit. */
public record Skipped(String name, Path file, Kind kind, String why) {
    public enum Kind { OTHER_HOST, BROKEN, CONFLICT }
}
