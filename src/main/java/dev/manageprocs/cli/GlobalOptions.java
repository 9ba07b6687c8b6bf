package dev.manageprocs.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command accepts: mode, manager config file, verbosity. */
public final class GlobalOptions {
    @Option(names = "--user", scope = ScopeType.INHERIT,
            description = "Per-user mode (default when not root): paths under XDG directories.")
    boolean user;

    @Option(names = "--system", scope = ScopeType.INHERIT,
            description = "System mode (default for root): /etc, /run and /var/log paths.")
    boolean system;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Manager configuration file instead of the mode's default manager.toml.")
    Path config;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More detail (debug logging for the daemon).")
    boolean verbose;
}
