package dev.manageprocs.control;

/**
 * The manager's answer: the client prints {@code out} to stdout and {@code err} to stderr as they are
 * and exits with {@code exitCode}: 0 ok, 1 failed, 2 usage, 3 not running, 4 no such unit (EXIT STATUS in
 * manage-procs(1)).
 */
public record Response(int exitCode, String out, String err) {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NOT_RUNNING = 3;
    public static final int NO_SUCH_UNIT = 4;

    public static Response ok(String out) {
        return new Response(OK, out, "");
    }

    /** An error: one sentence, prefixed "manage-procs: " and ended with a newline here. */
    public static Response error(int exitCode, String sentence) {
        return new Response(exitCode, "", "manage-procs: " + sentence + "\n");
    }
}
