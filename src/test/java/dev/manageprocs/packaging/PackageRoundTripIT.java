package dev.manageprocs.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built packages installed, used and removed on this machine by packaging/test/deb-roundtrip.sh
 * and rpm-roundtrip.sh (the .rpm with Debian's rpm), including reinstalls over a running manager (a live
 * re-exec) and, for the .deb, an upgrade to a newer version that keeps the manager's and the IOCs' pids. They change /usr, /etc and /var (and undo it), so
 * they run only where that is wanted: in CI (CI=true, as root) or when asked with
 * -Dmanageprocs.packageTest=true. The .deb under a real systemd, in a container booted by
 * packaging/test/systemd-roundtrip.sh, runs in CI or with -Dmanageprocs.systemdTest=true: its first
 * run downloads a Debian root file system.
 */
class PackageRoundTripIT {
    @TempDir
    Path tmp;

    @Test
    void theDebInstallsWorksAsAServiceAndRemovesCleanly() throws Exception {
        assumeChangingTheMachineIsWanted();
        roundTrip("deb-roundtrip.sh", Path.of(System.getProperty("manageprocs.deb")), "bin/build", 5);
    }

    @Test
    void theDebRunsAsASystemdServiceInAContainer() throws Exception {
        assumeTrue("true".equals(System.getenv("CI")) || Boolean.getBoolean("manageprocs.systemdTest"),
                "boots a container, downloading ~45 MB once: runs with CI=true or -Dmanageprocs.systemdTest=true");
        // a cold run includes debootstrap, which takes as long as the mirror does
        roundTrip("systemd-roundtrip.sh", Path.of(System.getProperty("manageprocs.deb")), "bin/build", 15);
    }

    @Test
    void theRpmInstallsWorksAsAServiceAndErasesCleanly() throws Exception {
        assumeChangingTheMachineIsWanted();
        // named manage-procs-VERSION-1.ARCH.rpm in RPM's own spelling of both (packaging/rpm/build.sh)
        Path rpm;
        try (Stream<Path> built = Files.list(Path.of(System.getProperty("manageprocs.buildDir")))) {
            rpm = built.filter(f -> f.getFileName().toString().matches("manage-procs-.*\\.rpm"))
                    .findFirst().orElse(Path.of("manage-procs-VERSION-1.ARCH.rpm"));
        }
        roundTrip("rpm-roundtrip.sh", rpm, "bin/build with rpmbuild installed (apt-get install rpm)", 5);
    }

    private static void assumeChangingTheMachineIsWanted() {
        assumeTrue("true".equals(System.getenv("CI")) || Boolean.getBoolean("manageprocs.packageTest"),
                "changes the machine: runs with CI=true or -Dmanageprocs.packageTest=true");
    }

    private void roundTrip(String script, Path pkg, String howToBuild, int minutes) throws Exception {
        Path home = Path.of(System.getProperty("manageprocs.home", "."));
        assertTrue(Files.isReadable(pkg), "the build did not make " + pkg + "; build it with " + howToBuild);
        Path output = tmp.resolve(script + ".out");
        Process p = new ProcessBuilder(home.resolve("packaging/test").resolve(script).toString(), pkg.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroy(); // SIGTERM: the script's EXIT trap undoes what it did
            p.waitFor(2, TimeUnit.MINUTES);
            fail(script + " hung:\n" + read(output));
        }
        String out = read(output);
        System.out.println(out); // lintian's or rpmlint's tags and each step, for the CI log
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
