package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Verb;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "reopen-logs", mixinStandardHelpOptions = true,
        description = {"Make every unit close its console log and open the file again, so that a log renamed "
                + "away (by logrotate) is followed by a fresh file at the configured path at once.",
                "This is logrotate's postrotate command; copytruncate is never needed."})
final class ReopenLogsCommand extends ClientCommand {
    ReopenLogsCommand() {
        super(Verb.REOPEN_LOGS);
    }

    @Override
    Request request() {
        return new Request(verb(), List.of(), Map.of(), Map.of());
    }
}
