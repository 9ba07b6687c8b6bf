package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** start, stop and restart: act on the units whose names match glob patterns, or on all of them. */
abstract class UnitPatternCommand extends ClientCommand {
    @Parameters(paramLabel = "PATTERN", arity = "0..*",
            description = "Unit name or glob pattern ('ioc*', 'bl?-motor'); quote patterns so the shell leaves them alone.")
    List<String> patterns = List.of();

    @Option(names = "--all", description = "Every loaded unit.")
    boolean all;

    UnitPatternCommand(Verb verb) {
        super(verb);
    }

    @Override
    Request request() {
        if (all == !patterns.isEmpty()) {
            throw usage(all ? "give unit patterns or --all, not both"
                    : "name the units to " + verb() + " (glob patterns allowed), or pass --all");
        }
        return new Request(verb(), patterns, all ? Map.of(VerbOption.ALL.wire(), "true") : Map.of(), Map.of());
    }
}
