package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import dev.manageprocs.unit.Signal;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "kill", mixinStandardHelpOptions = true,
        description = "Send a signal to the process group of a unit's child. The restart policy then applies "
                + "as to any other exit; use 'stop' to keep it down.",
        footer = {"", "Exit status: 0 signalled, 1 the unit has no running child, 4 no such unit."})
final class KillCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME", arity = "1", description = "The unit's name.")
    String name;

    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL",
            description = "Signal name or number: SIGTERM, TERM, term or 15. Default: the unit's kill_signal.")
    String signal;

    KillCommand() {
        super(Verb.KILL);
    }

    @Override
    Request request() {
        if (signal == null) {
            return Request.of(verb(), name);
        }
        Signal s = Signal.parse(signal).orElseThrow(() -> usage("'" + signal
                + "' is not a signal; give a name like TERM, SIGHUP or INT, or a number from 1 to " + Signal.MAX));
        return new Request(verb(), List.of(name), Map.of(VerbOption.SIGNAL.wire(), s.name()), Map.of());
    }
}
