package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged launcher: the shipped units/ examples pass {@code check}, and check stays a fast
 * client that loads neither JNA nor Logback.
 */
class CheckCommandIT {

    @Test
    void shippedExamplesPassWithoutLoadingJnaOrLogback() throws Exception {
        Path home = Path.of(System.getProperty("manageprocs.home"));
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/manage-procs").toString(), "check",
                "units/demo-ioc.toml", "units/softioc-template.toml")
                .directory(home.toFile())
                .redirectErrorStream(true);
        pb.environment().put("MANAGE_PROCS_JAR", System.getProperty("manageprocs.jar"));
        pb.environment().put("MANAGE_PROCS_JAVA_OPTS", "-verbose:class");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> lines = out.lines().filter(l -> !l.startsWith("[")).toList(); // -verbose:class lines start with '['
        assertEquals(List.of("units/demo-ioc.toml: ok", "units/softioc-template.toml: ok"), lines, out);
        assertEquals(0, p.exitValue());
        List<String> loaded = out.lines().filter(l -> l.startsWith("[")).toList();
        assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.manageprocs.unit.UnitParser")), "class log missing");
        assertEquals(List.of(), loaded.stream()
                .filter(l -> l.contains("com.sun.jna") || l.contains("ch.qos.logback") || l.contains("org.slf4j")).toList());
    }
}
