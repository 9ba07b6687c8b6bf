package dev.manageprocs.handoff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How this manager starts again in its own process: the java command line the launcher that started it
 * would run now (so a package upgrade's new jar, and a new JDK the launcher now finds, are what runs),
 * with the same arguments; or, started without the launcher, this JVM's own command line.
 *
 * @param path the program to exec
 * @param argv its arguments, argv[0] first
 */
public record Relaunch(String path, List<String> argv) {
    /** Set by bin/manage-procs for the manager: the launcher's own path. */
    public static final String LAUNCHER = "MANAGE_PROCS_LAUNCHER";
    /** Names the state file the new program adopts. */
    public static final String ADOPT = "MANAGE_PROCS_ADOPT";
    /** Makes the launcher print the java command line it would exec, NUL-separated, instead of running it. */
    static final String PRINT_JAVA = "MANAGE_PROCS_PRINT_JAVA";
    /** Names the state file the preflight only checks. */
    public static final String CHECK = "MANAGE_PROCS_ADOPT_CHECK";

    public Relaunch {
        argv = List.copyOf(argv);
    }

    /**
     * Asks the launcher that started this manager what it would run now (the java it finds today, the jar
     * installed today), with the arguments this manager got; without a launcher, this JVM's own command
     * line. The exec then starts that java directly: a shell in between would reap, and lose the exit
     * status of, a unit's child that ends during the re-exec.
     */
    public static Relaunch ofThisProcess(Map<String, String> env) throws IOException {
        List<String> cmdline = List.of(new String(Files.readAllBytes(Path.of("/proc/self/cmdline")),
                StandardCharsets.UTF_8).split("\0"));
        int jar = cmdline.indexOf("-jar");
        if (jar < 0 || jar + 1 >= cmdline.size()) {
            throw new IOException("this manager was not started with 'java -jar' (" + String.join(" ", cmdline)
                    + "), so it cannot tell how to start again");
        }
        String launcher = env.get(LAUNCHER);
        if (launcher == null || !Files.isExecutable(Path.of(launcher))) {
            return new Relaunch(cmdline.get(0).startsWith("/") ? cmdline.get(0)
                    : Files.readSymbolicLink(Path.of("/proc/self/exe")).toString(), cmdline);
        }
        List<String> ask = new ArrayList<>(List.of(launcher));
        ask.addAll(cmdline.subList(jar + 2, cmdline.size()));
        ProcessBuilder pb = new ProcessBuilder(ask).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put(PRINT_JAVA, "1");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the launcher " + launcher + " what to run");
        }
        List<String> argv = List.of(new String(out, StandardCharsets.UTF_8).split("\0"));
        if (exit != 0 || argv.size() < 3 || !argv.get(0).startsWith("/")) {
            throw new IOException("the launcher " + launcher + " cannot start the manager now (exit " + exit
                    + (err.isEmpty() ? "" : ": " + err) + ")");
        }
        return new Relaunch(argv.get(0), argv);
    }

    /** The environment without this class's variables: what children inherit. */
    public static Map<String, String> withoutHandoff(Map<String, String> env) {
        if (!env.containsKey(LAUNCHER) && !env.containsKey(ADOPT) && !env.containsKey(CHECK)) {
            return env;
        }
        Map<String, String> e = new TreeMap<>(env);
        e.remove(LAUNCHER);
        e.remove(ADOPT);
        e.remove(CHECK);
        return Map.copyOf(e);
    }

    /** The environment for the new program: this one's, with {@code variable} naming the state file. */
    public static List<String> environment(Map<String, String> env, String variable, Path stateFile) {
        Map<String, String> e = new TreeMap<>(env);
        e.remove(ADOPT);
        e.remove(CHECK);
        e.put(variable, stateFile.toString());
        return e.entrySet().stream().map(x -> x.getKey() + "=" + x.getValue()).toList();
    }
}
