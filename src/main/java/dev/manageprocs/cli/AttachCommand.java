package dev.manageprocs.cli;

import dev.manageprocs.control.CallFailed;
import dev.manageprocs.control.Request;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import dev.manageprocs.unit.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Connect this terminal to a unit's console: the banner and the recent output first, then live "
                + "output; what you type goes to the unit's child. The unit's logout key (^D unless keys.logout "
                + "says otherwise) detaches; its other console keys (^X kill, ^T toggle auto restart, ^R restart, "
                + "^Q quit) work as on any console, and its 'ignore' keys (^C by default) never reach the child.",
            "When stdin is not a terminal, attach sends stdin and exits once it has ended and the console has "
                + "been quiet for half a second: echo dbl | manage-procs attach ioc1"},
        footer = {"", "Exit status: 0 detached, input ended or --timeout reached; 1 the connection failed or was "
                + "lost (the unit was removed, the manager stopped); 4 no such unit; 129/143 ended by SIGHUP/SIGTERM "
                + "(the terminal is restored); 141 its output was closed (attach ... | head), silently.",
            "", "A live re-exec of the manager (daemon-reexec, a package upgrade) does not end the session: attach "
                + "reattaches by itself and says so in one line."})
final class AttachCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME", arity = "1", description = "The unit's name.")
    String name;

    @Option(names = "--read-only", description = "Watch only: nothing you type reaches the unit; its logout key detaches.")
    boolean readOnly;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Detach after this long at most (\"30s\", \"2min\"), for scripts.")
    String timeout;

    AttachCommand() {
        super(Verb.ATTACH);
    }

    @Override
    Request request() {
        return new Request(verb(), List.of(name), readOnly ? Map.of(VerbOption.READ_ONLY.wire(), "true") : Map.of(), Map.of());
    }

    @Override
    public Integer call() {
        Duration limit = null;
        if (timeout != null) {
            try {
                limit = Durations.parse(timeout);
            } catch (IllegalArgumentException e) {
                throw usage("--timeout '" + timeout + "' " + e.getMessage());
            }
        }
        Request request = request();
        try {
            Reattach reattach = new Reattach(client());
            return new AttachSession(reattach, request, reattach.open(request), Terminal.ofStdin(), limit).run();
        } catch (CallFailed e) {
            return print(e.response());
        }
    }
}
