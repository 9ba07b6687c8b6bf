package dev.manageprocs.unit;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One validated unit file: immutable, every key typed, defaults resolved.
 * Only {@link UnitParser} creates these, so a Unit is always valid.
 */
public record Unit(
        String name,
        Path file,
        Optional<String> description,
        Optional<String> host,
        ProcessSpec process,
        RestartSpec restart,
        ConsoleSpec console,
        LogSpec log) {
}
