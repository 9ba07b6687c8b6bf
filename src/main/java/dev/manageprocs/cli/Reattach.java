package dev.manageprocs.cli;

import dev.manageprocs.control.CallFailed;
import dev.manageprocs.control.ControlClient;
import dev.manageprocs.control.Ping;
import dev.manageprocs.control.ReexecMarker;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.StreamCall;
import java.util.Optional;

/**
 * A stream (attach, logs -f) across a live re-exec of the manager, which ends every stream without a final
 * response: the manager as it was when the stream began (its ping), whether a cut stream was that (the re-exec
 * marker is there, or the same pid answers with a higher generation; a stopped or crashed manager is
 * neither), the new stream (its connect waits through the gap), and the line that tells the user.
 * No lambdas: attach's start-up.
 */
final class Reattach {
    private final ControlClient client;
    /** Null when no manager answered ping: then no cut stream is taken for a re-exec but by the marker. */
    private Ping before;

    Reattach(ControlClient client) {
        this.client = client;
        this.before = client.ping().orElse(null);
    }

    StreamCall open(Request request) throws CallFailed {
        return client.stream(request);
    }

    /** After a stream was cut: true when the manager is re-executing or has just done so. */
    boolean reexecuted() {
        if (ReexecMarker.underWay(client.socket()).isPresent()) {
            return true;
        }
        if (before == null) {
            return false;
        }
        Optional<Ping> now = client.ping();
        return now.isPresent() && now.get().pid() == before.pid() && now.get().generation() > before.generation();
    }

    /**
     * The line for stderr once the stream is open again, without its line end; {@code what} is what goes on
     * ("reattached to ioc1"). A re-exec that did not take place (the old code carries on) is said as such.
     */
    String notice(String what) {
        Ping now = client.ping().orElse(null);
        boolean sameCode = now != null && before != null && now.pid() == before.pid()
                && now.generation() == before.generation();
        before = now;
        return sameCode ? "manage-procs: the manager's re-exec did not take place (it runs on with version "
                + now.version() + "); " + what : "manage-procs: the manager re-executed; " + what;
    }
}
