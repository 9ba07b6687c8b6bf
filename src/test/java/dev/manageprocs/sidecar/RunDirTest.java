package dev.manageprocs.sidecar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirTest {

    @TempDir
    Path tmp;

    @Test
    void writesPidAndInfoInADirectoryItCreates() throws IOException {
        RunDir run = new RunDir(tmp.resolve("run/ioc1"));
        run.writePid(1234);
        run.writeInfo(new InfoFile(99, List.of("unix:/x")));

        assertEquals("rwxr-xr-x", mode(run.dir()));
        assertEquals("1234\n", Files.readString(run.dir().resolve("pid")));
        assertEquals("rw-r--r--", mode(run.dir().resolve("pid")));
        assertEquals("pid:99\nunix:/x\n", Files.readString(run.dir().resolve("info")));
        assertEquals("rw-r--r--", mode(run.dir().resolve("info")));
        try (var files = Files.list(run.dir())) {
            assertEquals(List.of("info", "pid"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temp files left behind");
        }
    }

    @Test
    void rewritingReplacesTheWholeFile() throws IOException {
        RunDir run = new RunDir(tmp.resolve("ioc1"));
        run.writePid(123456);
        run.writePid(7);
        assertEquals("7\n", Files.readString(run.dir().resolve("pid")));
        assertEquals(OptionalInt.of(7), RunDir.readPid(run.dir()));
    }

    @Test
    void anExistingDirectoryKeepsItsMode() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("ioc1"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        new RunDir(dir).writePid(5);
        assertEquals("rwx------", mode(dir));
    }

    @Test
    void removalToleratesMissingFiles() throws IOException {
        RunDir run = new RunDir(tmp.resolve("ioc1"));
        run.removePid();
        run.removeSidecars();
        run.writePid(5);
        run.writeInfo(new InfoFile(1, List.of()));
        Files.writeString(run.dir().resolve("control"), "a socket, owned by the console");
        run.removePid();
        assertFalse(Files.exists(run.dir().resolve("pid")));
        assertEquals(OptionalInt.empty(), RunDir.readPid(run.dir()));
        run.removeSidecars();
        assertFalse(Files.exists(run.dir().resolve("info")));
        assertTrue(Files.exists(run.dir().resolve("control")));
    }

    @Test
    void readPidIgnoresGarbage() throws IOException {
        assertEquals(OptionalInt.empty(), RunDir.readPid(tmp.resolve("nowhere")));
        Files.writeString(tmp.resolve("pid"), "12ab\n");
        assertEquals(OptionalInt.empty(), RunDir.readPid(tmp));
        Files.writeString(tmp.resolve("pid"), "-3\n");
        assertEquals(OptionalInt.empty(), RunDir.readPid(tmp));
        Files.writeString(tmp.resolve("pid"), " 42 \n");
        assertEquals(OptionalInt.of(42), RunDir.readPid(tmp));
    }

    @Test
    void aFailureNamesTheFileAndWhatToDo() throws IOException {
        Path notDir = Files.writeString(tmp.resolve("ioc1"), "a regular file");
        IOException e = assertThrows(IOException.class, () -> new RunDir(notDir).writePid(5));
        assertEquals("cannot write " + notDir.resolve("pid") + " (Not a directory); make " + notDir
                + " a directory the manager can write to", e.getMessage());
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
