package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the loaded units with their state and unit file.")
final class ListCommand extends ClientCommand {
    @Option(names = "--all", description = "Also unit files that are not loaded, with why: excluded (their host "
            + "does not match this machine) or broken (the file has errors; 'manage-procs check FILE' shows them).")
    boolean all;

    @Option(names = "--json", description = "A JSON array of objects with name, state, file and note.")
    boolean json;

    ListCommand() {
        super(Verb.LIST);
    }

    @Override
    Request request() {
        Map<String, String> options = new LinkedHashMap<>();
        if (all) {
            options.put(VerbOption.ALL.wire(), "true");
        }
        if (json) {
            options.put(VerbOption.JSON.wire(), "true");
        }
        return new Request(verb(), List.of(), options, Map.of());
    }
}
