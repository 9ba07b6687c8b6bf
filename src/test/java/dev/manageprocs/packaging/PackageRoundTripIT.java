package dev.manageprocs.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built .deb installed, used and removed on this machine by packaging/test/deb-roundtrip.sh.
 * It changes /usr, /etc and /var (and undoes it), so it runs only where that is wanted: in CI
 * (CI=true, as root) or when asked with -Dmanageprocs.packageTest=true.
 */
class PackageRoundTripIT {
    @TempDir
    Path tmp;

    @Test
    void theDebInstallsWorksAsAServiceAndRemovesCleanly() throws Exception {
        assumeTrue("true".equals(System.getenv("CI")) || Boolean.getBoolean("manageprocs.packageTest"),
                "changes the machine: runs with CI=true or -Dmanageprocs.packageTest=true");
        Path home = Path.of(System.getProperty("manageprocs.home", "."));
        Path deb = Path.of(System.getProperty("manageprocs.deb"));
        assertTrue(Files.isReadable(deb), "the build did not make " + deb);
        Path output = tmp.resolve("roundtrip.out");
        Process p = new ProcessBuilder(home.resolve("packaging/test/deb-roundtrip.sh").toString(), deb.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), () -> "deb-roundtrip.sh hung:\n" + read(output));
        String out = read(output);
        System.out.println(out); // lintian's tags and each step, for the CI log
        assertEquals(0, p.exitValue(), out);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
