package dev.manageprocs.supervisor;

import java.util.List;

/**
 * A consumer of a unit's console (its log, its console clients): child output and server
 * announcements, every consumer the same, in the order they happened. Called on the event loop,
 * synchronously: implementations copy what they keep, keep at most a bounded amount and never block,
 * so a slow consumer can neither stall the child nor make the supervisor buffer.
 */
public interface OutputListener {

    /** Bytes the child wrote to its terminal; the array is reused after the call returns. */
    void output(byte[] buf, int off, int len);

    /**
     * Server messages for people watching, in order (each line starts with "@@@ ", no newline); a
     * batch is one event (the four lines of a start), so a consumer can write it at once.
     */
    void announce(List<String> lines);
}
