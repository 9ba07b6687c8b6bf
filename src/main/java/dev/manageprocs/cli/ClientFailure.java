package dev.manageprocs.cli;

/** A command that fails on the client's side before reaching the manager (exit 1); the message is one sentence. */
final class ClientFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClientFailure(String sentence) {
        super(sentence, null, false, false);
    }
}
