package dev.manageprocs.cli;

import dev.manageprocs.control.Verb;
import picocli.CommandLine.Command;

@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Stop units (as 'stop' does) and start them again, applying any change to their unit files.",
        footer = {"", "Exit status: 0 all restarted, 1 a unit failed, 4 a pattern matched no unit."})
final class RestartCommand extends UnitPatternCommand {
    RestartCommand() {
        super(Verb.RESTART);
    }
}
