package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Re-read the unit files: load new ones, stop and drop removed ones, and report changed "
                + "ones. A running unit whose file changed keeps running as it is and shows as "
                + "'changed (restart to apply)' until it is restarted.",
                "The manager also reloads on SIGHUP."})
final class ReloadCommand extends ClientCommand {
    @Option(names = "--restart-changed", description = "Also restart the running units whose files changed.")
    boolean restartChanged;

    ReloadCommand() {
        super(Verb.RELOAD);
    }

    @Override
    Request request() {
        return new Request(verb(), List.of(), restartChanged ? Map.of(VerbOption.RESTART_CHANGED.wire(), "true") : Map.of(),
                Map.of());
    }
}
