package dev.manageprocs.control;

/**
 * An option of a control verb as it travels in a request: its key (a command-line flag without its
 * dashes) and whether it carries a value; a flag without one is sent as "true". Which verb takes which
 * option is {@link Verb}'s table.
 */
public enum VerbOption {
    ALL("all", false),
    JSON("json", false),
    NOW("now", false),
    FORCE("force", false),
    /** The manager answers with one line per unit, "remove unit ioc1 and delete /path/ioc1.toml", and removes nothing. */
    DRY_RUN("dry-run", false),
    /** A canonical signal name ("SIGTERM"). */
    SIGNAL("signal", true),
    RESTART_CHANGED("restart-changed", false),
    READ_ONLY("read-only", false),
    FOLLOW("follow", false),
    /** The last N lines of each unit. */
    LINES("lines", true),
    /** Milliseconds since the epoch. */
    SINCE("since", true),
    /**
     * One per file: "origin.FILENAME" = the absolute directory the client read FILENAME from. The client
     * sets it for each file, so it is no option anyone types and refusals do not list it.
     */
    ORIGIN("origin.", true);

    private final String wire;
    private final boolean takesValue;

    VerbOption(String wire, boolean takesValue) {
        this.wire = wire;
        this.takesValue = takesValue;
    }

    /** The key in a request; for {@link #ORIGIN} the prefix of one key per file. */
    public String wire() {
        return wire;
    }

    public boolean takesValue() {
        return takesValue;
    }

    /** True for the one key per file ({@link #ORIGIN}), false for an option with a single key. */
    public boolean perFile() {
        return this == ORIGIN;
    }

    /** True when a request's option key is this option. */
    public boolean isKey(String key) {
        return perFile() ? key.startsWith(wire) : key.equals(wire);
    }

    /** The key of a per-file option for one file. */
    public String keyFor(String fileName) {
        return wire + fileName;
    }
}
