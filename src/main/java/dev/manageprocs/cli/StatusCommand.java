package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the state of units: a table with the columns UNIT STATE PID UPTIME RESTARTS LAST-EXIT "
                + "CONSOLE, followed by one line per unit with a problem or a unit file changed since it was loaded.",
                "States: STOPPED, STARTING, RUNNING, BACKOFF (waiting out the holdoff before a restart), "
                        + "STOPPING, EXITED (ended, no restart by policy), FATAL (cannot start)."},
        footer = {"", "Exit status: 0 ok, 3 a unit asked for is not running, "
                + "4 a pattern matched no unit."})
final class StatusCommand extends ClientCommand {
    @Parameters(paramLabel = "PATTERN", arity = "0..*",
            description = "Unit name or glob pattern; all units when none is given.")
    List<String> patterns = List.of();

    @Option(names = "--json", description = "One JSON object per unit (name, state, pid, since, uptime_seconds, "
            + "restarts, restart_mode, last_exit, console, problem, pending_change) in a JSON array.")
    boolean json;

    StatusCommand() {
        super(Verb.STATUS);
    }

    @Override
    Request request() {
        return new Request(verb(), patterns, json ? Map.of(VerbOption.JSON.wire(), "true") : Map.of(), Map.of());
    }
}
