package dev.manageprocs.cli;

import dev.manageprocs.control.Request;
import dev.manageprocs.control.Response;
import dev.manageprocs.control.Verb;
import dev.manageprocs.control.VerbOption;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Stop units, unload them and delete their unit files.",
            "Asks for confirmation, naming each file, when standard input is a terminal; elsewhere (scripts, "
                    + "cron) -f is required."},
        footer = {"", "Exit status: 0 removed, 1 failed or not confirmed, 2 usage error, 4 no such unit."})
final class RemoveCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Unit names (no patterns: removal is explicit).")
    List<String> names;

    @Option(names = {"-f", "--force"}, description = "Do not ask.")
    boolean force;

    RemoveCommand() {
        super(Verb.REMOVE);
    }

    @Override
    Request request() {
        return new Request(verb(), names, Map.of(), Map.of());
    }

    @Override
    public Integer call() {
        if (force) {
            return print(send(request()));
        }
        if (!stdinIsTerminal()) {
            throw usage("remove asks before deleting unit files but standard input is not a terminal; "
                    + "pass -f to remove without asking");
        }
        Response plan = send(new Request(verb(), names, Map.of(VerbOption.DRY_RUN.wire(), "true"), Map.of()));
        if (plan.exitCode() != Response.OK) {
            return print(plan);
        }
        List<String> lines = plan.out().strip().lines().toList();
        PrintWriter out = spec.commandLine().getOut();
        if (lines.size() == 1) {
            out.print(lines.get(0) + "? [y/N] ");
        } else {
            lines.forEach(out::println);
            out.print("remove these " + lines.size() + " units? [y/N] ");
        }
        out.flush();
        if (!confirmed()) {
            return print(Response.error(Response.FAILED, "nothing removed"));
        }
        return print(send(request()));
    }

    private static boolean confirmed() {
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
            return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            return false;
        }
    }

    /** fd 0 is a terminal device: System.console() cannot tell on every JDK since 22. */
    private static boolean stdinIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
