package dev.manageprocs.handoff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the installed manager, as the re-exec would start it, in check mode on the written state: only if
 * it can read every unit does the old program exec. A broken jar, a missing JDK, a state format the new
 * code does not know: all end here, with the manager and its children untouched.
 */
public final class Preflight {
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String PASSED = "handoff check passed: version ";
    private static final Pattern PASSED_LINE = Pattern.compile(Pattern.quote(PASSED) + "(\\S+), (\\d+) units");

    /** The outcome: the new program's version, or why it cannot take over (one sentence). */
    public sealed interface Result {
        record Passed(String version) implements Result {
        }

        record Failed(String why) implements Result {
        }
    }

    private Preflight() {
    }

    /** The line check mode prints when it can take over. */
    public static String passedLine(String version, int units) {
        return PASSED + version + ", " + units + " units";
    }

    public static Result run(Relaunch relaunch, Map<String, String> env, Path stateFile) {
        // to a file, not a pipe: a failing JVM's stack trace could fill a pipe and stall the wait
        Path output = stateFile.resolveSibling(stateFile.getFileName() + ".check");
        ProcessBuilder pb = new ProcessBuilder(relaunch.argv()).redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().clear();
        for (String kv : Relaunch.environment(env, Relaunch.CHECK, stateFile)) {
            int eq = kv.indexOf('=');
            pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        pb.environment().remove("NOTIFY_SOCKET"); // the check is not the service
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result.Failed("the new code cannot be started (" + relaunch.path() + ": " + e.getMessage() + ")");
        }
        String out;
        try {
            if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result.Failed("the check of the new code did not finish within " + LIMIT.toSeconds() + " s");
            }
            out = Files.readString(output, StandardCharsets.UTF_8).strip();
        } catch (IOException | InterruptedException e) {
            p.destroyForcibly();
            return new Result.Failed("the check of the new code failed (" + e + ")");
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // a leftover check log in the runtime directory harms nothing
            }
        }
        List<String> lines = out.lines().toList();
        for (String line : lines) {
            Matcher m = PASSED_LINE.matcher(line);
            if (m.matches() && p.exitValue() == 0) {
                return new Result.Passed(m.group(1));
            }
        }
        String last = lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
        return new Result.Failed("the new code (" + String.join(" ", relaunch.argv()) + ") refused to take over, exit "
                + p.exitValue() + ": " + last);
    }
}
