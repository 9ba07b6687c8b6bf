package dev.manageprocs.unit;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A unit written back as TOML with every key explicit (defaults resolved): what {@code show} prints,
 * and valid input for the parser, so an operator can copy it into a unit file.
 */
public final class UnitToml {
    private UnitToml() {
    }

    public static String render(Unit u) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(u.file()).append('\n');
        u.description().ifPresent(d -> line(b, "description", quote(d)));
        u.host().ifPresent(h -> line(b, "host", quote(h)));

        ProcessSpec p = u.process();
        b.append("\n[process]\n");
        line(b, "command", array(p.command()));
        line(b, "chdir", quote(p.chdir().toString()));
        line(b, "env", inlineTable(p.env()));
        p.envFile().ifPresent(f -> line(b, "env_file", quote(f.toString())));
        p.user().ifPresent(x -> line(b, "user", quote(x)));
        p.group().ifPresent(x -> line(b, "group", quote(x)));
        p.umask().ifPresent(m -> line(b, "umask", quote(String.format("%04o", m))));
        p.coreSize().ifPresent(c -> line(b, "core_size", c.unlimited() ? quote("unlimited") : quote(Sizes.format(c.bytes()))));
        line(b, "stop_signal", quote(p.stopSignal().name()));
        line(b, "stop_timeout", quote(Durations.format(p.stopTimeout())));
        line(b, "kill_signal", quote(p.killSignal().name()));

        RestartSpec r = u.restart();
        b.append("\n[restart]\n");
        line(b, "mode", quote(r.mode().key()));
        line(b, "holdoff", quote(Durations.format(r.holdoff())));
        line(b, "max_restarts", Integer.toString(r.maxRestarts()));
        line(b, "window", quote(Durations.format(r.window())));
        line(b, "autostart", Boolean.toString(r.autostart()));

        ConsoleSpec c = u.console();
        b.append("\n[console]\n");
        line(b, "listen", array(c.listen().stream().map(Endpoint::spec).toList()));
        line(b, "log_listen", array(c.logListen().stream().map(Endpoint::spec).toList()));
        line(b, "allow_remote", Boolean.toString(c.allowRemote()));
        c.logGroup().ifPresent(g -> line(b, "log_group", quote(g)));
        KeyBindings k = c.keys();
        line(b, "keys", "{ kill = " + quote(k.kill().spec()) + ", toggle = " + quote(k.toggle().spec())
                + ", restart = " + quote(k.restart().spec()) + ", quit = " + quote(k.quit().spec())
                + ", logout = " + quote(k.logout().spec()) + " }");
        line(b, "ignore", quote(c.ignore().chars().mapToObj(ch -> new KeySpec(ch).spec()).collect(Collectors.joining())));
        line(b, "history", quote(Sizes.format(c.historyBytes())));
        line(b, "banner", Boolean.toString(c.banner()));

        LogSpec l = u.log();
        b.append("\n[log]\n");
        line(b, "file", quote(switch (l.file()) {
            case LogSpec.LogTarget.Default d -> "default";
            case LogSpec.LogTarget.None n -> "";
            case LogSpec.LogTarget.File f -> f.path().toString();
        }));
        line(b, "timestamp", Boolean.toString(l.timestamp()));
        line(b, "timestamp_format", quote(l.timestampFormat().pattern()));
        line(b, "max_size", quote(Sizes.format(l.maxSize())));
        line(b, "keep", Integer.toString(l.keep()));
        return b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(key).append(" = ").append(value).append('\n');
    }

    private static String array(List<String> items) {
        return items.stream().map(UnitToml::quote).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String inlineTable(Map<String, String> map) {
        if (map.isEmpty()) {
            return "{}";
        }
        return map.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " = " + quote(e.getValue())).collect(Collectors.joining(", ", "{ ", " }"));
    }

    /** A TOML basic string: quotes, backslashes and control characters escaped. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) {
                        b.append(String.format("\\u%04X", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
