package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import dev.manageprocs.testing.ManPage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** manage-procs(1) documents every command and every option that --help shows, and every verb of the table. */
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

    @Test
    void everyVerbOfTheTableAndItsFlagsAreInTheManPage() throws Exception {
        ManPage page = new ManPage(PAGE);
        List<String> missing = new ArrayList<>();
        for (Verb verb : VerbTableTest.sentByTheCli()) {
            if (!page.hasHeading(verb.wire())) {
                missing.add("COMMANDS: a section for '" + verb.wire() + "'");
            }
            for (VerbOption o : VerbTableTest.typed(verb)) {
                if (!documented(page.tagsUnder(verb.wire()), "--" + o.wire())) {
                    missing.add(verb.wire() + ": --" + o.wire());
                }
            }
        }
        assertTrue(missing.isEmpty(), () -> PAGE + " lacks verbs of the control protocol or their flags:\n  "
                + String.join("\n  ", missing));
    }
}
