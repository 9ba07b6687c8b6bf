package dev.manageprocs.unit;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/** A console endpoint from {@code listen} / {@code log_listen}. */
public sealed interface Endpoint {

    /** The text as written in the unit file, for messages. */
    String spec();

    /** "unix:default": {@code <rundir>/<name>/control} (listen) or {@code <rundir>/<name>/log} (log_listen). */
    record UnixDefault(String spec) implements Endpoint {
    }

    /** "unix:/path" or "unix:user:group:0660:/path" (owner, group and mode optional). */
    record UnixPath(String spec, Path path, Optional<String> owner, Optional<String> group, OptionalInt mode)
            implements Endpoint {
    }

    /** "unix:@name": Linux abstract namespace. */
    record UnixAbstract(String spec, String name) implements Endpoint {
    }

    /** "20000", "tcp:ADDR:PORT", "tcp:[::1]:PORT"; port 0 = any free port. */
    record Tcp(String spec, String address, int port) implements Endpoint {
        /** 127.0.0.0/8, ::1 or "localhost". */
        public boolean loopback() {
            return address.startsWith("127.") || address.equals("::1") || address.equals("localhost");
        }
    }
}
