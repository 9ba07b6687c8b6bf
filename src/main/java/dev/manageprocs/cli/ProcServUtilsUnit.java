package dev.manageprocs.cli;

import dev.manageprocs.unit.UnitToml;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The unit file that {@code add NAME [options] -- CMD ARGS...} (procServUtils' form) stands for. The client
 * writes the TOML text and sends it like any other unit file, so the manager validates both forms alike.
 *
 * @param chdir   absolute: relative paths are resolved against the client's directory, not the manager's
 * @param envFile absolute, for the same reason
 */
record ProcServUtilsUnit(String name, List<String> command, Path chdir, Optional<String> listen,
        Optional<String> user, Optional<String> group, Map<String, String> env, Optional<Path> envFile) {

    String toml() {
        StringBuilder sb = new StringBuilder()
                .append("# Written by 'manage-procs add ").append(name).append("'; edit freely.\n\n")
                .append("[process]\n")
                .append("command = [");
        for (int i = 0; i < command.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(UnitToml.quote(command.get(i)));
        }
        sb.append("]\n");
        sb.append("chdir = ").append(UnitToml.quote(chdir.toString())).append('\n');
        user.ifPresent(u -> sb.append("user = ").append(UnitToml.quote(u)).append('\n'));
        group.ifPresent(g -> sb.append("group = ").append(UnitToml.quote(g)).append('\n'));
        if (!env.isEmpty()) {
            sb.append("env = { ");
            String sep = "";
            for (Map.Entry<String, String> e : env.entrySet()) {
                sb.append(sep).append(UnitToml.quote(e.getKey())).append(" = ").append(UnitToml.quote(e.getValue()));
                sep = ", ";
            }
            sb.append(" }\n");
        }
        envFile.ifPresent(f -> sb.append("env_file = ").append(UnitToml.quote(f.toString())).append('\n'));
        listen.ifPresent(l -> sb.append("\n[console]\nlisten = [").append(UnitToml.quote(l)).append("]\n"));
        return sb.toString();
    }
}
