package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.control.Request;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The fast path must build exactly the request picocli builds for the same words, or leave them to picocli. */
class FastPathTest {
    private static Request viaPicocli(String... args) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        CommandLine.ParseResult parsed = cl.parseArgs(args);
        CommandLine.ParseResult sub = parsed.subcommand();
        return ((ClientCommand) sub.commandSpec().userObject()).request();
    }

    @Test
    void handledSpellingsBuildThePicocliRequest() {
        for (List<String> args : List.<List<String>>of(
                List.of("status"), List.of("status", "--json"), List.of("--user", "status", "ioc*", "--json"),
                List.of("--system", "status", "a", "b"), List.of("list"), List.of("list", "--all", "--json"),
                List.of("show", "ioc1"), List.of("start", "ioc1"), List.of("stop", "--all"),
                List.of("restart", "ioc*", "bl?"), List.of("attach", "ioc1"), List.of("--user", "attach", "--read-only", "ioc1"))) {
            String[] a = args.toArray(String[]::new);
            FastPath.Call call = FastPath.parse(a).orElseThrow(() -> new AssertionError("not fast: " + args));
            assertEquals(viaPicocli(a), call.request(), args.toString());
            assertEquals(args.contains("--user"), call.user());
            assertEquals(args.contains("--system"), call.system());
        }
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        for (List<String> args : List.<List<String>>of(
                List.of(), List.of("status", "--help"), List.of("--config", "x.toml", "status"), List.of("-v", "status"),
                List.of("start"), List.of("stop", "--all", "ioc1"), List.of("show"), List.of("show", "a", "b"),
                List.of("list", "x"), List.of("kill", "ioc1"), List.of("status", "--jsn"), List.of("add", "x.toml"),
                List.of("--user", "--system", "status"), List.of("daemon"), List.of("--user"), List.of("attach"),
                List.of("attach", "a", "b"), List.of("attach", "--timeout", "5s", "ioc1"), List.of("attach", "--help"),
                // options of other verbs, and of verbs the fast path does not take
                List.of("status", "--all"), List.of("show", "--json", "ioc1"), List.of("start", "--read-only", "ioc1"),
                List.of("add", "--now", "x.toml"), List.of("logs", "--follow", "ioc1"), List.of("ping"))) {
            assertTrue(FastPath.parse(args.toArray(String[]::new)).isEmpty(), args::toString);
        }
    }

    private static DaemonLaunch daemonViaPicocli(String... args) {
        CommandLine.ParseResult sub = new CommandLine(new Main()).parseArgs(args).subcommand();
        return ((DaemonCommand) sub.commandSpec().userObject()).launch();
    }

    @Test
    void daemonSpellingsLaunchWhatPicocliLaunches() {
        for (List<String> args : List.<List<String>>of(
                List.of("daemon"), List.of("--user", "daemon"), List.of("--system", "daemon"),
                List.of("--user", "daemon", "--unit-dir", "units"),
                List.of("daemon", "--unit-dir", "/a", "--unit-dir", "b/c"))) {
            String[] a = args.toArray(String[]::new);
            DaemonLaunch fast = FastPath.daemon(a).orElseThrow(() -> new AssertionError("not fast: " + args));
            assertEquals(daemonViaPicocli(a), fast, args.toString());
        }
    }

    @Test
    void otherDaemonSpellingsAreLeftToPicocli() {
        for (List<String> args : List.<List<String>>of(
                List.of("daemon", "--help"), List.of("-v", "daemon"), List.of("--config", "m.toml", "daemon"),
                List.of("daemon", "--unit-dir"), List.of("daemon", "--unit-dir", "--help"),
                List.of("daemon", "--unit-dir=units"), List.of("--user", "--system", "daemon"),
                List.of("daemon", "--user"), List.of("--user"), List.of("status"))) {
            assertTrue(FastPath.daemon(args.toArray(String[]::new)).isEmpty(), args::toString);
        }
    }

    @Test
    void versionAnswersWithThePicocliLine() {
        var out = new java.io.ByteArrayOutputStream();
        var old = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            assertEquals(0, Main.run("--version"));
        } finally {
            System.setOut(old);
        }
        assertEquals(new Main.Version().getVersion()[0] + System.lineSeparator(), out.toString());
    }
}
