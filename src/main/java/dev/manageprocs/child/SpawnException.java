package dev.manageprocs.child;

/** A child could not be started; the message is one sentence naming the path or setting and the OS error. */
public final class SpawnException extends Exception {
    private static final long serialVersionUID = 1L;

    public SpawnException(String message) {
        super(message);
    }
}
