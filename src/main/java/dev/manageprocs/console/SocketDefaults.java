package dev.manageprocs.console;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the manager creates a unit's unix sockets when the endpoint does not say: "unix:default" is
 * {@code unitRunDir/control} (listen) or {@code unitRunDir/log} (log_listen); sockets get
 * {@code mode} (0600 in user mode, 0660 in system mode; docs/paths.md) and, when present, {@code group}.
 * Read-only sockets get the same mode: connecting needs write permission, so a "readable" 0644
 * would admit nobody but the owner anyway.
 */
public record SocketDefaults(Path unitRunDir, int mode, Optional<String> group) {

    public Path controlPath() {
        return unitRunDir.resolve("control");
    }

    public Path logPath() {
        return unitRunDir.resolve("log");
    }
}
