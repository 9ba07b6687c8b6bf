package dev.manageprocs.cli;

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
            sb.append(i == 0 ? "" : ", ").append(quote(command.get(i)));
        }
        sb.append("]\n");
        sb.append("chdir = ").append(quote(chdir.toString())).append('\n');
        user.ifPresent(u -> sb.append("user = ").append(quote(u)).append('\n'));
        group.ifPresent(g -> sb.append("group = ").append(quote(g)).append('\n'));
        if (!env.isEmpty()) {
            sb.append("env = { ");
            String sep = "";
            for (Map.Entry<String, String> e : env.entrySet()) {
                sb.append(sep).append(quote(e.getKey())).append(" = ").append(quote(e.getValue()));
                sep = ", ";
            }
            sb.append(" }\n");
        }
        envFile.ifPresent(f -> sb.append("env_file = ").append(quote(f.toString())).append('\n'));
        listen.ifPresent(l -> sb.append("\n[console]\nlisten = [").append(quote(l)).append("]\n"));
        return sb.toString();
    }

    /** A TOML basic string: quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
