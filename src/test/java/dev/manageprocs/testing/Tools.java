package dev.manageprocs.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** External programs the end-to-end tests drive (telnet, socat, expect, tmux). */
public final class Tools {
    private Tools() {
    }

    public static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Skips the test on a developer machine without the tool, but fails under CI (CI=true), where
     * .ci/run installs it: a CI run must never pass by skipping.
     */
    public static void require(String... commands) {
        for (String c : commands) {
            if (!onPath(c)) {
                String why = c + " is not installed (apt-get install " + c + ")";
                if ("true".equals(System.getenv("CI"))) {
                    fail(why + ", but .ci/run should have installed it");
                }
                assumeTrue(false, why);
            }
        }
    }
}
