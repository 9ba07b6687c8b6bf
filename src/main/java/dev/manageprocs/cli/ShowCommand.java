package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Verb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a unit's effective configuration (every key, defaults resolved, as TOML) and its "
                + "runtime facts (state, pid, console endpoints, log file).",
        footer = {"", "Exit status: 0 shown, 4 no such unit."})
final class ShowCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME", arity = "1", description = "The unit's name.")
    String name;

    ShowCommand() {
        super(Verb.SHOW);
    }

    @Override
    Request request() {
        return Request.of(verb(), name);
    }
}
