package dev.manageprocs.child;

import dev.manageprocs.posix.LibC;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the program to exec. A command without '/' is looked up in the PATH of the child's environment
 * (not the manager's, which posix_spawnp would use), like a shell started with that environment would;
 * relative PATH entries count from the child's working directory.
 */
final class Executable {
    /** What execvp(3) searches when PATH is unset. */
    private static final String DEFAULT_PATH = "/bin:/usr/bin";
    private static final int ENOENT = 2;
    private static final int EACCES = 13;

    private Executable() {
    }

    /** The path to exec: argv0 itself when it has a '/', else the first executable file on PATH. */
    static String resolve(String argv0, LaunchSpec spec) throws SpawnException {
        if (argv0.indexOf('/') >= 0) {
            return argv0;
        }
        String path = spec.environment().getOrDefault("PATH", DEFAULT_PATH);
        for (String dir : path.split(":", -1)) {
            String candidate = (dir.isEmpty() ? "." : dir) + "/" + argv0;
            Path file = spec.chdir().resolve(candidate);
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return candidate;
            }
        }
        throw new SpawnException("cannot execute '" + argv0 + "': no such command in PATH " + path
                + "; give its full path or set PATH in 'env'");
    }

    /**
     * Checks up front what the exec will need, for when the exec happens behind setpriv and its error would
     * only reach the console instead of the caller.
     */
    static void check(String path, LaunchSpec spec) throws SpawnException {
        Path file = spec.chdir().resolve(path);
        if (!Files.exists(file)) {
            throw cannotExecute(path, spec, ENOENT);
        }
        if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
            throw cannotExecute(path, spec, EACCES);
        }
    }

    static SpawnException cannotExecute(String path, LaunchSpec spec, int errno) {
        return new SpawnException("cannot execute '" + path + "' in " + spec.chdir() + ": " + LibC.strerror(errno));
    }
}
