package dev.manageprocs.control;

import dev.manageprocs.access.Peer;
import java.io.IOException;

/** What the manager does with one authorized request. Runs on a virtual thread per connection; may block. */
@FunctionalInterface
public interface ControlHandler {
    Response handle(Request request, Peer peer);

    /** True when the verb's reply is a stream (attach, logs): the server then calls {@link #stream}, not handle. */
    default boolean streams(String verb) {
        return false;
    }

    /**
     * Serves a streaming verb: chunks, then one final response, through the session; returns when the
     * stream is over (the server closes the connection then). May block as long as the stream lasts.
     */
    default void stream(Request request, Peer peer, StreamSession session) throws IOException {
        session.finish(handle(request, peer));
    }
}
