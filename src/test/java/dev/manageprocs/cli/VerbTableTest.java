package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The CLI against the Verb table: every verb but ping is a command of the same name that sends it, whose
 * flags are the verb's options; every verb is in --help and in the bash and zsh completion. ManPageTest
 * holds the man page to the table.
 */
class VerbTableTest {
    /** Commands the CLI carries out without the manager, so without a verb. */
    private static final Set<String> CLIENT_ONLY_COMMANDS = Set.of("help", "check", "config", "daemon");

    /**
     * Options the client sets itself rather than from a flag of that name: remove's confirmation asks for
     * a dry run; add names the directory it read each file from.
     */
    static final Set<VerbOption> SET_BY_THE_CLIENT = EnumSet.of(VerbOption.DRY_RUN, VerbOption.ORIGIN);

    /** Flags (longest name) that act on the client's side and send no option of their own. */
    private static final Map<Verb, Set<String>> CLIENT_ONLY_FLAGS = Map.of(
            Verb.ADD, Set.of("-A", "--chdir", "--port", "--username", "--group", "--env", "--env-file"), // -A is --now
            Verb.REMOVE, Set.of("--force"), // do not ask
            Verb.ATTACH, Set.of("--timeout"),
            Verb.WRITE_PROCS_CF, Set.of("--out"));

    /** The verbs the CLI sends: all but ping, which only a manager sends (to name the one already running). */
    static List<Verb> sentByTheCli() {
        return Arrays.stream(Verb.values()).filter(v -> v != Verb.PING).toList();
    }

    /** The flags users type for a verb: its options but those the client sets itself. */
    static List<VerbOption> typed(Verb verb) {
        return verb.options().stream().filter(o -> !SET_BY_THE_CLIENT.contains(o)).toList();
    }

    /** Arguments that make a valid command line for the verb with any one of its options. */
    private static List<String> words(Verb verb) {
        return switch (verb) {
            case ADD -> List.of("ioc1", "--", "softIoc");
            case REMOVE, SHOW, KILL, ATTACH, LOGS -> List.of("ioc1");
            case START, STOP, RESTART, STATUS, LIST, RELOAD, WRITE_PROCS_CF, REOPEN_LOGS, DAEMON_REEXEC, PING -> List.of();
        };
    }

    /** A value for a flag that takes one. */
    private static List<String> value(VerbOption option) {
        return switch (option) {
            case SIGNAL -> List.of("TERM");
            case LINES -> List.of("5");
            case SINCE -> List.of("10min");
            default -> List.of();
        };
    }

    private static Map<String, CommandLine> commands() {
        return new CommandLine(new Main()).getSubcommands();
    }

    /** A command's own options, by longest name: not the global ones, not -h and -V. */
    private static Map<String, OptionSpec> ownOptions(CommandSpec spec) {
        Map<String, OptionSpec> own = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            if (!o.inherited() && !o.usageHelp() && !o.versionHelp()) {
                own.put(o.longestName(), o);
            }
        }
        return own;
    }

    @Test
    void everyVerbButPingIsACommandOfItsNameThatSendsIt() {
        Map<String, CommandLine> commands = commands();
        for (Verb verb : sentByTheCli()) {
            CommandLine command = commands.get(verb.wire());
            assertTrue(command != null, () -> "no command '" + verb.wire() + "' in Main's subcommands");
            Object user = command.getCommandSpec().userObject();
            assertTrue(user instanceof ClientCommand, () -> verb.wire() + " is not a ClientCommand");
            assertEquals(verb.wire(), ((ClientCommand) user).verb(), "the verb the command sends");
        }
        for (var e : commands.entrySet()) {
            boolean client = e.getValue().getCommandSpec().userObject() instanceof ClientCommand;
            assertEquals(!client, CLIENT_ONLY_COMMANDS.contains(e.getKey()),
                    () -> e.getKey() + ": a command that sends a verb, or one of " + CLIENT_ONLY_COMMANDS);
        }
    }

    @Test
    void eachCommandsFlagsAreItsVerbsOptions() {
        Map<String, CommandLine> commands = commands();
        List<String> wrong = new ArrayList<>();
        for (Verb verb : sentByTheCli()) {
            Map<String, OptionSpec> own = ownOptions(commands.get(verb.wire()).getCommandSpec());
            for (VerbOption o : typed(verb)) {
                OptionSpec flag = own.remove("--" + o.wire());
                if (flag == null) {
                    wrong.add(verb.wire() + ": no flag --" + o.wire());
                } else if (flag.typeInfo().isBoolean() == o.takesValue()) {
                    wrong.add(verb.wire() + " --" + o.wire() + (o.takesValue() ? ": takes no value" : ": takes a value"));
                } else {
                    List<String> args = new ArrayList<>(List.of(verb.wire(), "--" + o.wire()));
                    args.addAll(value(o));
                    args.addAll(words(verb));
                    Request r = ClientCommandsTest.request(args.toArray(String[]::new));
                    if (!r.verb().equals(verb.wire()) || !r.options().containsKey(o.wire())) {
                        wrong.add(String.join(" ", args) + ": sent " + r.verb() + " " + r.options().keySet());
                    }
                }
            }
            own.keySet().removeAll(CLIENT_ONLY_FLAGS.getOrDefault(verb, Set.of()));
            own.keySet().forEach(name -> wrong.add(verb.wire() + ": " + name + " is neither an option of the verb "
                    + "nor listed as a client-only flag here"));
        }
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    }

    @Test
    void everyVerbButPingIsInTheHelp() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run("--help"));
        } finally {
            System.setOut(old);
        }
        String help = out.toString(StandardCharsets.UTF_8);
        String commands = help.substring(help.indexOf("\nCommands:\n"));
        for (Verb verb : sentByTheCli()) {
            assertTrue(commands.contains("\n  " + verb.wire() + " "), () -> verb.wire() + " is not in --help:\n" + help);
        }
    }

    /** The functions of a generated bash completion script, by name, with their bodies. */
    private static Map<String, String> functions(String script) {
        Map<String, String> functions = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?ms)^function (\\S+)\\(\\) \\{\\n(.*?)^\\}").matcher(script);
        while (m.find()) {
            functions.put(m.group(1), m.group(2));
        }
        return functions;
    }

    /** The words of one {@code local NAME="..."} line of a completion function. */
    private static Set<String> local(String body, String name) {
        Matcher m = Pattern.compile("local " + name + "=\"([^\"]*)\"").matcher(body);
        assertTrue(m.find(), () -> "no local " + name + " in\n" + body);
        return Arrays.stream(m.group(1).split(" ")).map(w -> w.replace("'", "")).collect(Collectors.toSet());
    }

    @Test
    void everyVerbButPingAndItsFlagsAreInTheBashAndZshCompletion() throws Exception {
        // what packaging/stage.sh installs: picocli's generator run on Main
        String bash = AutoComplete.bash("manage-procs", new CommandLine(new Main()));
        Map<String, String> functions = functions(bash);
        Set<String> commands = local(functions.get("_picocli_manage-procs"), "commands");
        for (Verb verb : sentByTheCli()) {
            assertTrue(commands.contains(verb.wire()), () -> verb.wire() + " is not completed: " + commands);
            String body = functions.get("_picocli_manage-procs_" + verb.wire().replace("-", ""));
            assertTrue(body != null, () -> "no completion function for " + verb.wire() + " in " + functions.keySet());
            for (VerbOption o : typed(verb)) {
                Set<String> flags = local(body, o.takesValue() ? "arg_opts" : "flag_opts");
                assertTrue(flags.contains("--" + o.wire()), () -> verb.wire() + " --" + o.wire() + " is not completed");
            }
        }
        // zsh runs that bash completion through bashcompinit, so it offers the same words
        String zsh = Files.readString(Path.of("packaging/completion/_manage-procs"));
        assertTrue(zsh.contains("\nsource /usr/share/bash-completion/completions/manage-procs\n"), zsh);
        assertTrue(zsh.contains(" -F _complete_manage-procs\n") && functions.containsKey("_complete_manage-procs"), zsh);
    }
}
