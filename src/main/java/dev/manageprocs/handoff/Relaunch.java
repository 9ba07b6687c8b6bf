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
 * How this manager starts again in its own process: through the launcher that started it (so a package
 * upgrade's new jar, and a new JDK the launcher now finds, are what runs), with the same arguments; or,
 * started without the launcher, with this JVM's own command line.
 *
 * @param path the program to exec
 * @param argv its arguments, argv[0] first
 */
public record Relaunch(String path, List<String> argv) {
    /** Set by bin/manage-procs for the manager: the launcher's own path. */
    public static final String LAUNCHER = "MANAGE_PROCS_LAUNCHER";
    /** Names the state file the new program adopts. */
    public static final String ADOPT = "MANAGE_PROCS_ADOPT";
    /** Names the state file the preflight only checks. */
    public static final String CHECK = "MANAGE_PROCS_ADOPT_CHECK";

    public Relaunch {
        argv = List.copyOf(argv);
    }

    /** Reads /proc/self/cmdline: the JVM's arguments up to the jar, then the manager's. */
    public static Relaunch ofThisProcess(Map<String, String> env) throws IOException {
        List<String> cmdline = new ArrayList<>(List.of(new String(Files.readAllBytes(Path.of("/proc/self/cmdline")),
                StandardCharsets.UTF_8).split("\0")));
        int jar = cmdline.indexOf("-jar");
        if (jar < 0 || jar + 1 >= cmdline.size()) {
            throw new IOException("this manager was not started with 'java -jar' (" + String.join(" ", cmdline)
                    + "), so it cannot tell how to start again");
        }
        String launcher = env.get(LAUNCHER);
        if (launcher != null && Files.isExecutable(Path.of(launcher))) {
            List<String> argv = new ArrayList<>(List.of(launcher));
            argv.addAll(cmdline.subList(jar + 2, cmdline.size()));
            return new Relaunch(launcher, argv);
        }
        String java = cmdline.get(0).startsWith("/") ? cmdline.get(0) : Files.readSymbolicLink(Path.of("/proc/self/exe")).toString();
        return new Relaunch(java, cmdline);
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
