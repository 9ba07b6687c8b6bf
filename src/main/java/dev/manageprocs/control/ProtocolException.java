package dev.manageprocs.control;

/** A control message that breaks the wire format or its limits; the message is one sentence for the user. */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
