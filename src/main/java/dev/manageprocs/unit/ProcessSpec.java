package dev.manageprocs.unit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The {@code [process]} table. */
public record ProcessSpec(
        List<String> command,
        Path chdir,
        Map<String, String> env,
        Optional<Path> envFile,
        Optional<String> user,
        Optional<String> group,
        OptionalInt umask,
        Optional<CoreSize> coreSize,
        Signal stopSignal,
        Duration stopTimeout,
        Signal killSignal) {

    public ProcessSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }
}
