package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.testing.ManagerProcess;
import dev.manageprocs.testing.ManagerProcess.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's class-data archive (bin/lib/client-archive.sh, as bin/build and the package make it): the
 * launcher uses it, and every command prints and returns exactly what it does without one.
 */
class ClientArchiveIT {
    @TempDir
    Path tmp;

    @Test
    void theArchiveIsUsedAndChangesNothingACommandPrintsOrReturns() throws Exception {
        Path home = Path.of(System.getProperty("manageprocs.home", "."));
        Path jar = Path.of(System.getProperty("manageprocs.jar"));
        Path withArchive = Files.createDirectories(tmp.resolve("archived")).resolve("manage-procs.jar");
        Path without = Files.createDirectories(tmp.resolve("plain")).resolve("manage-procs.jar");
        Files.copy(jar, withArchive);
        Files.copy(jar, without);
        Path stem = tmp.resolve("archived/manage-procs-client");
        Process dump = new ProcessBuilder("bash", "-c", ". bin/lib/find-java.sh && . bin/lib/jvm-options.sh && "
                + ". bin/lib/client-archive.sh && mp_find_java 21 jre && mp_dump_client_archive \"$0\" \"$1\" && "
                + "echo $MP_JAVA_MAJOR", withArchive.toString(), stem.toString())
                .directory(home.toFile()).redirectErrorStream(true).start();
        String major = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(dump.waitFor(60, TimeUnit.SECONDS), "making the archive hung");
        boolean aot = Integer.parseInt(major) >= 24;
        Path archive = Path.of(stem + (aot ? ".aot" : ".jsa"));
        assertTrue(Files.size(archive) > 0, "no archive was made: " + archive);

        try (var m = new ManagerProcess(tmp.resolve("m"))) {
            // not started, so nothing in the replies changes between two runs (no pid, no uptime)
            m.writeUnit("quiet", "[process]\ncommand = [\"sleep\", \"100000\"]\n[restart]\nautostart = false\n");
            assertEquals(0, m.cli("reload").exit());
            Map<String, String> env = m.environment();
            // the JVM refuses to start when it cannot use the archive in this mode
            Result strict = run(withArchive, env, aot ? "-XX:AOTMode=on" : "-Xshare:on", "--version");
            assertEquals(run(without, env, "", "--version"), strict);
            List<List<String>> commands = List.of(List.of("--version"), List.of("--user", "status"),
                    List.of("--user", "status", "--json"), List.of("--user", "show", "quiet"),
                    List.of("--user", "show", "nosuch"), List.of("--user", "start", "nosuch"),
                    List.of("--user", "list", "--all"), List.of("--user", "status", "--bogus"), List.of("--user"));
            for (List<String> c : commands) {
                String[] args = c.toArray(String[]::new);
                assertEquals(run(without, env, "", args), run(withArchive, env, "", args), String.join(" ", c));
            }
            Map<String, String> nobody = Map.of("XDG_RUNTIME_DIR", tmp.resolve("none").toString());
            Result noManager = run(withArchive, nobody, "", "--user", "status");
            assertEquals(run(without, nobody, "", "--user", "status"), noManager);
            assertTrue(noManager.exit() == 1 && noManager.err().contains("no manager is running"), noManager::toString);
        }
    }

    /** The launcher with this jar (and whatever archive lies beside it), stdin from /dev/null. */
    private static Result run(Path jar, Map<String, String> env, String javaOpts, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ManagerProcess.launcher().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        pb.environment().put("MANAGE_PROCS_JAR", jar.toString());
        pb.environment().put("MANAGE_PROCS_JAVA_OPTS", javaOpts);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "manage-procs " + String.join(" ", args) + " hung");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
