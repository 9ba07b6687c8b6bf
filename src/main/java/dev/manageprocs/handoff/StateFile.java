package dev.manageprocs.handoff;

import dev.manageprocs.unit.Layout;
import dev.manageprocs.unit.ManagerConfig;
import dev.manageprocs.unit.UnitParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The handoff state on disk: {@code handoff.state} in the manager's runtime directory, readable by the
 * manager's user only (it holds console history). Written by the old program, read by the preflight and
 * by the new program, which removes it.
 */
public final class StateFile {
    public static final String NAME = "handoff.state";

    /** A state read back, with the manager configuration it carries. */
    public record Loaded(HandoffState state, ManagerConfig config) {
    }

    private StateFile() {
    }

    public static Path in(Path rundir) {
        return rundir.resolve(NAME);
    }

    public static void write(Path file, HandoffState state) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 1 << 16)) {
            StateCodec.write(state, out);
        }
    }

    /** Reads the state and rebuilds the configuration and units it names; one sentence when it cannot. */
    public static Loaded read(Path file) throws StateCodec.Unreadable {
        ManagerConfig[] config = new ManagerConfig[1];
        HandoffState state;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            state = StateCodec.read(in, c -> {
                config[0] = managerConfig(c);
                return (unitFile, text) -> UnitParser.parse(unitFile, text, config[0].defaults());
            });
        } catch (IOException e) {
            throw new StateCodec.Unreadable("cannot read " + file + " (" + e.getMessage() + ")");
        } catch (ConfigProblem e) {
            throw new StateCodec.Unreadable(e.getMessage());
        }
        return new Loaded(state, config[0]);
    }

    private static final class ConfigProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigProblem(String message) {
            super(message);
        }
    }

    private static ManagerConfig managerConfig(HandoffState.Config c) {
        Layout layout = Layout.forThisProcess(Optional.of(c.mode()));
        ManagerConfig loaded = c.file().isEmpty() || c.text().isEmpty() ? ManagerConfig.of(layout)
                : switch (ManagerConfig.parse(c.file().get(), c.text().get(), layout)) {
                    case ManagerConfig.Result.Ok ok -> ok.config();
                    case ManagerConfig.Result.Failed f -> throw new ConfigProblem(
                            "the manager configuration as loaded no longer parses (" + f.diagnostics().get(0) + ")");
                };
        return loaded.withUnitDirs(c.unitDirs());
    }
}
