package dev.manageprocs.cli;

import dev.manageprocs.control.Verb;
import picocli.CommandLine.Command;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop units: send each child's process group its stop_signal, then SIGKILL after stop_timeout. "
                + "A stopped unit stays stopped until started again (no automatic restart).",
        footer = {"", "Exit status: 0 all stopped, 1 a unit failed to stop, 4 a pattern matched no unit."})
final class StopCommand extends UnitPatternCommand {
    StopCommand() {
        super(Verb.STOP);
    }
}
