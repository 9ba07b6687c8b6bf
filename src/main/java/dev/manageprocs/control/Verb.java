package dev.manageprocs.control;

import static dev.manageprocs.control.VerbOption.ALL;
import static dev.manageprocs.control.VerbOption.DRY_RUN;
import static dev.manageprocs.control.VerbOption.FOLLOW;
import static dev.manageprocs.control.VerbOption.FORCE;
import static dev.manageprocs.control.VerbOption.JSON;
import static dev.manageprocs.control.VerbOption.LINES;
import static dev.manageprocs.control.VerbOption.NOW;
import static dev.manageprocs.control.VerbOption.ORIGIN;
import static dev.manageprocs.control.VerbOption.READ_ONLY;
import static dev.manageprocs.control.VerbOption.RESTART_CHANGED;
import static dev.manageprocs.control.VerbOption.SIGNAL;
import static dev.manageprocs.control.VerbOption.SINCE;

import java.util.List;
import java.util.Optional;

/**
 * Every verb of the control protocol (docs/control-protocol.md): its name on the wire, the options it
 * takes and whether its reply is a stream; each constant's comment says what it does. The manager
 * dispatches on it and refuses other options; the CLI's commands send its names, and VerbTableTest holds
 * them, --help, the completion scripts and the man page to it. The CLI's fast path loads it too: no
 * lambdas here.
 */
public enum Verb {
    /** Install unit files (sent by the client) and load them. */
    ADD("add", false, NOW, FORCE, ORIGIN),
    /** Stop units, unload them and delete their unit files. */
    REMOVE("remove", false, DRY_RUN),
    /** Start the units matching glob patterns, or all. */
    START("start", false, ALL),
    /** Stop the units matching glob patterns, or all. */
    STOP("stop", false, ALL),
    /** Stop the units matching glob patterns, or all, and start them again. */
    RESTART("restart", false, ALL),
    /** The state of the units matching glob patterns (none: all). */
    STATUS("status", false, JSON),
    /** The loaded units; with ALL also the unit files that are not loaded, and why. */
    LIST("list", false, ALL, JSON),
    /** One unit's effective configuration and runtime facts. */
    SHOW("show", false),
    /** Signal the process group of one unit's child. */
    KILL("kill", false, SIGNAL),
    /** Re-read the unit files: load new ones, drop removed ones, report changed ones. */
    RELOAD("reload", false, RESTART_CHANGED),
    /** A conserver configuration with one console per unit. */
    WRITE_PROCS_CF("write-procs-cf", false),
    /** Make every unit close its console log and open the path again (logrotate's postrotate). */
    REOPEN_LOGS("reopen-logs", false),
    /** Relay one unit's console, both ways. */
    ATTACH("attach", true, READ_ONLY),
    /** The console logs of the units matching glob patterns, merged, optionally followed. */
    LOGS("logs", true, FOLLOW, LINES, SINCE),
    /**
     * Replace the manager's code under its running units: check the installed one can take over, then
     * exec it in this same process, which adopts every child, console and client (docs/upgrade.md).
     */
    DAEMON_REEXEC("daemon-reexec", false),
    /** The manager's pid; answered by the control server itself, for anyone (a second manager names the first). */
    PING("ping", false);

    private final String wire;
    private final boolean streams;
    private final List<VerbOption> options;

    Verb(String wire, boolean streams, VerbOption... options) {
        this.wire = wire;
        this.streams = streams;
        this.options = List.of(options);
    }

    /** The verb a request names; empty for one this protocol version does not have. */
    public static Optional<Verb> of(String wire) {
        for (Verb v : values()) {
            if (v.wire.equals(wire)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public String wire() {
        return wire;
    }

    /** True when the reply is a stream of chunks before the response (see the protocol's streaming verbs). */
    public boolean streams() {
        return streams;
    }

    public List<VerbOption> options() {
        return options;
    }

    /** The option a request's key stands for, or null when this verb takes no such option. */
    public VerbOption option(String key) {
        for (VerbOption o : options) {
            if (o.isKey(key)) {
                return o;
            }
        }
        return null;
    }
}
