package dev.manageprocs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.control.ControlClient;
import dev.manageprocs.control.Ping;
import dev.manageprocs.control.SocketPath;
import dev.manageprocs.testing.Captured;
import dev.manageprocs.testing.ManagerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code manage-procs daemon-reexec} against a real manager whose jar is replaced under it, as a package
 * upgrade replaces it: by a jar of another version (the manager re-executes it in the same pid, children
 * untouched), or by one that cannot start (the check refuses it and nothing changes).
 */
class DaemonReexecIT {
    private static final String NEW_VERSION = "9.9.9-reexec-test";

    @TempDir
    Path tmp;

    private Path jar;
    private ManagerProcess manager;

    @BeforeEach
    void start() throws Exception {
        // the manager runs a copy of the built jar, which the test replaces as dpkg would
        jar = Files.createDirectories(tmp.resolve("share")).resolve("manage-procs.jar");
        Files.copy(Path.of(System.getProperty("manageprocs.jar")), jar);
        manager = new ManagerProcess(tmp.resolve("m"), Map.of("MANAGE_PROCS_JAR", jar.toString()));
        manager.writeUnit("sleeper", """
                [process]
                command = ["sleep", "600"]
                """);
        assertEquals(0, manager.cli("reload").exit());
    }

    @AfterEach
    void stop() throws Exception {
        manager.close();
    }

    private String childPid() throws IOException {
        return Files.readString(manager.runDir.resolve("sleeper/pid")).strip();
    }

    private Ping ping() {
        return new ControlClient(new SocketPath(manager.runDir.resolve("control.sock"), false)).ping().orElseThrow();
    }

    /** Puts {@code content} at the jar's path by rename, as dpkg does: the running JVM keeps its open file. */
    private void replaceJar(byte[] content) throws IOException {
        Path next = jar.resolveSibling("manage-procs.jar.dpkg-new");
        Files.write(next, content);
        Files.move(next, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The built jar with another version in its version.properties. */
    private static byte[] jarOfVersion(String version) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("manageprocs.jar")));
                ZipInputStream zin = new ZipInputStream(in);
                ZipOutputStream zout = new ZipOutputStream(bytes)) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                zout.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals("dev/manageprocs/version.properties")) {
                    zout.write(("version=" + version + "\n").getBytes(StandardCharsets.UTF_8));
                } else {
                    zin.transferTo(zout);
                }
                zout.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void theManagerRunsTheNewJarInTheSamePidAndKeepsItsChildren() throws Exception {
        String child = childPid();
        Ping before = ping();
        replaceJar(jarOfVersion(NEW_VERSION));

        ManagerProcess.Result r = manager.cli("daemon-reexec");

        assertEquals(0, r.exit(), r + "\n--- manager\n" + manager.managerOutput());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.toString());
        assertTrue(lines.get(0).startsWith("re-executing manager pid " + manager.pid() + ": version " + before.version()),
                r.toString());
        assertTrue(lines.get(1).matches("manager pid " + manager.pid() + " runs version " + NEW_VERSION
                + " now; the re-exec took \\d+\\.\\d s"), r.toString());
        assertEquals(new Ping(manager.pid(), NEW_VERSION, before.generation() + 1), ping());
        assertTrue(manager.alive());
        assertEquals(child, childPid(), "the child was adopted, not restarted");
        ManagerProcess.Result status = manager.cli("status", "sleeper");
        assertTrue(status.exit() == 0 && status.out().matches("(?s).*\\nsleeper +RUNNING +" + child + " .*"),
                status.toString());
    }

    @Test
    void commandsRunDuringTheGapWaitForTheSocketInsteadOfFailing() throws Exception {
        replaceJar(jarOfVersion(NEW_VERSION));
        Process reexec = manager.cliProcess("daemon-reexec");
        Captured reexecOutput = Captured.from(reexec.getInputStream());
        List<ManagerProcess.Result> failed = new ArrayList<>();
        int calls = 0;
        while (reexec.isAlive()) {
            ManagerProcess.Result status = manager.cli("status", "sleeper");
            calls++;
            if (status.exit() != 0) {
                failed.add(status);
            }
        }
        assertTrue(reexec.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, reexec.exitValue(), reexecOutput.text());
        assertEquals(List.of(), failed, calls + " status calls while the manager re-executed");
        assertEquals(NEW_VERSION, ping().version());
    }

    @Test
    void aJarThatCannotStartIsRefusedAndNothingChanges() throws Exception {
        String child = childPid();
        Ping before = ping();
        replaceJar("not a jar".getBytes(StandardCharsets.UTF_8));

        ManagerProcess.Result r = manager.cli("daemon-reexec");

        assertEquals(1, r.exit(), r.toString());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().startsWith("manage-procs: not re-executing: "), r.toString());
        assertEquals(before, ping(), "same pid, version and generation");
        assertEquals(child, childPid());
        assertEquals(0, manager.cli("status", "sleeper").exit());
    }
}
