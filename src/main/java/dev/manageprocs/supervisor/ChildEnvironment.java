package dev.manageprocs.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child's environment, in this order (docs/paths.md): the manager's, then env_file, then env, then the
 * procServ variables (PROCSERV_NAME, IOCNAME, PROCSERV_INFO) that IOC scripts rely on.
 */
final class ChildEnvironment {
    private ChildEnvironment() {
    }

    static Map<String, String> build(Map<String, String> managerEnv, Map<String, String> envFile,
                                     Map<String, String> env, String name, String procservInfo) {
        Map<String, String> all = new LinkedHashMap<>(managerEnv);
        all.putAll(envFile);
        all.putAll(env);
        all.put("PROCSERV_NAME", name);
        all.put("IOCNAME", name);
        all.put("PROCSERV_INFO", procservInfo);
        return all;
    }

    /** procServ's form: {@code PID=<manager pid>;CTL=unix:/path;LOG=tcp:127.0.0.1:4051}, one entry per endpoint. */
    static String procservInfo(int managerPid, List<String> controlEndpoints, List<String> logEndpoints) {
        StringBuilder b = new StringBuilder("PID=").append(managerPid);
        controlEndpoints.forEach(e -> b.append(";CTL=").append(e));
        logEndpoints.forEach(e -> b.append(";LOG=").append(e));
        return b.toString();
    }

    /**
     * KEY=VALUE lines; blank lines and '#' comments skipped; an optional "export " prefix and one pair
     * of surrounding quotes are removed. Read at every start, so an edited file applies on restart.
     */
    static Map<String, String> readEnvFile(Path file) throws IOException {
        Map<String, String> vars = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).stripLeading();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IOException(file + ":" + (i + 1) + ": expected KEY=VALUE, found '" + line + "'");
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            vars.put(line.substring(0, eq).strip(), value);
        }
        return vars;
    }
}
