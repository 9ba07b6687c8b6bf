package dev.manageprocs.unit;

import java.util.List;
import java.util.Optional;

/**
 * The {@code [console]} table. {@code ignore} holds the bytes never forwarded to the child; {@code logGroup} is
 * the group whose members may also connect to the read-only TCP endpoints.
 */
public record ConsoleSpec(
        List<Endpoint> listen,
        List<Endpoint> logListen,
        boolean allowRemote,
        Optional<String> logGroup,
        KeyBindings keys,
        String ignore,
        long historyBytes,
        boolean banner) {

    public ConsoleSpec {
        listen = List.copyOf(listen);
        logListen = List.copyOf(logListen);
    }

    public boolean ignores(int b) {
        return ignore.indexOf((char) (b & 0xff)) >= 0;
    }
}
