package dev.manageprocs.cli;

import dev.manageprocs.control.Verb;
import picocli.CommandLine.Command;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Start units that are not running (STOPPED, EXITED or FATAL).",
        footer = {"", "Exit status: 0 all started, 1 a unit failed to start, 4 a pattern matched no unit."})
final class StartCommand extends UnitPatternCommand {
    StartCommand() {
        super(Verb.START);
    }
}
