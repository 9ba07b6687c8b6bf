package dev.manageprocs.supervisor;

import dev.manageprocs.reactor.Reactor;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * What the manager hands each supervisor: the shared loop, and the unit's resolved
 * paths ({@code runDir} = {@code <rundir>/<name>}, {@code logFile} empty when the unit logs nothing).
 */
public record SupervisorContext(
        Reactor reactor,
        int managerPid,
        Map<String, String> managerEnv,
        Path runDir,
        Optional<Path> logFile,
        ZoneId zone) {
}
