package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.ManPage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** manage-procs(1) documents every command and every option that --help shows. */
class ManPageTest {
    private static final Path PAGE = Path.of("man/manage-procs.1");

    private static boolean documented(List<String> tags, String optionName) {
        return tags.stream().anyMatch(t -> Arrays.asList(t.split("[ ,=\\[\\]]+")).contains(optionName));
    }

    @Test
    void everyCommandAndOptionOfTheHelpIsInTheManPage() throws Exception {
        ManPage page = new ManPage(PAGE);
        CommandLine root = new CommandLine(new Main());
        List<String> missing = new ArrayList<>();
        List<String> global = page.tagsUnder("OPTIONS");
        for (OptionSpec o : root.getCommandSpec().options()) {
            for (String name : o.names()) {
                if (!documented(global, name)) {
                    missing.add("OPTIONS: " + name);
                }
            }
        }
        for (CommandLine sub : root.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            String command = spec.name();
            if (!page.hasHeading(command)) {
                missing.add("COMMANDS: a section for '" + command + "'");
            }
            List<String> own = page.tagsUnder(command);
            for (OptionSpec o : spec.options()) {
                // inherited options and -h/-V are the global ones, documented once under OPTIONS
                boolean isGlobal = o.inherited() || o.usageHelp() || o.versionHelp();
                for (String name : o.names()) {
                    if (!documented(isGlobal ? global : own, name)) {
                        missing.add(command + ": " + name);
                    }
                }
            }
        }
        assertTrue(missing.isEmpty(), () -> PAGE + " lacks what --help shows; add a .TP entry for each:\n  "
                + String.join("\n  ", missing));
    }
}
