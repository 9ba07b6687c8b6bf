package dev.manageprocs.cli;

import dev.manageprocs.control.CallFailed;
import dev.manageprocs.control.ControlClient;
import dev.manageprocs.control.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code manage-procs}: the command-line entry point. Commands are registered here as they exist. */
@Command(
        name = "manage-procs",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        subcommands = {CommandLine.HelpCommand.class,
            AddCommand.class, RemoveCommand.class, StartCommand.class, StopCommand.class, RestartCommand.class,
            StatusCommand.class, ListCommand.class, ShowCommand.class, KillCommand.class, ReloadCommand.class,
            AttachCommand.class, LogsCommand.class, WriteProcsCfCommand.class, CheckCommand.class, ConfigCommand.class,
            DaemonCommand.class, ReopenLogsCommand.class, DaemonReexecCommand.class},
        description = "Supervise EPICS IOCs and other console programs on pseudo-terminals.",
        usageHelpAutoWidth = true)
public final class Main {

    @CommandLine.Mixin
    GlobalOptions global;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line; returns the exit code (separate from main() so tests can call it). */
    public static int run(String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println("manage-procs " + version()); // the same line picocli prints, without its start-up
            return 0;
        }
        Optional<FastPath.Call> fast = FastPath.parse(args);
        if (fast.isPresent()) {
            FastPath.Call c = fast.get();
            if (c.attach()) {
                return attach(c);
            }
            return print(ControlClient.call(c.user(), c.system(), Optional.empty(), c.request()));
        }
        Optional<DaemonLaunch> daemon = FastPath.daemon(args);
        if (daemon.isPresent()) {
            return runDaemon(daemon.get());
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("manage-procs: " + ex.getMessage());
            return 1;
        });
        cl.setExitCodeExceptionMapper(ex -> 2);
        return cl.execute(args);
    }

    /** AttachCommand's session for the fast path's plain spellings (no --timeout). No lambdas: start-up. */
    private static int attach(FastPath.Call c) {
        try {
            Reattach reattach = new Reattach(ControlClient.of(c.user(), c.system(), Optional.empty()));
            return new AttachSession(reattach, c.request(), reattach.open(c.request()), Terminal.ofStdin(), null).run();
        } catch (CallFailed e) {
            return print(e.response());
        }
    }

    /** The daemon without picocli; an unexpected failure ends as picocli's handler ends it. */
    private static int runDaemon(DaemonLaunch launch) {
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            return launch.run(err);
        } catch (Exception e) {
            err.println("manage-procs: " + e.getMessage());
            return 1;
        }
    }

    private static int print(Response r) {
        System.out.print(r.out());
        System.out.flush();
        System.err.print(r.err());
        return r.exitCode();
    }

    /** This build's version, from the resource Maven fills in. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/dev/manageprocs/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"manage-procs " + version()};
        }
    }
}
