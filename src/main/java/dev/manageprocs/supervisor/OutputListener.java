package dev.manageprocs.supervisor;

/**
 * A consumer of a unit's console (its log, its console clients): child output and server
 * announcements, every consumer the same, in the order they happened. Called on the event loop,
 * synchronously: implementations copy what they keep, keep at most a bounded amount and never block,
 * so a slow consumer can neither stall the child nor make the supervisor buffer.
 */
public interface OutputListener {

    /** Bytes the child wrote to its terminal; the array is reused after the call returns. */
    void output(byte[] buf, int off, int len);

    /** A server message for people watching (one line, already starting with "@@@ ", no newline). */
    void announce(String line);
}
