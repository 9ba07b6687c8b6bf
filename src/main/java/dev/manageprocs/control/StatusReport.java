package dev.manageprocs.control;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.supervisor.State;
import dev.manageprocs.supervisor.UnitStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** The output of {@code status}: an aligned table for people, or JSON for scripts. */
public final class StatusReport {
    private final Clock clock;

    public StatusReport() {
        this(Clock.systemUTC());
    }

    /** With the clock that uptimes are measured against (tests pass a fixed one). */
    public StatusReport(Clock clock) {
        this.clock = clock;
    }

    /**
     * UNIT STATE PID UPTIME RESTARTS LAST-EXIT CONSOLE, "-" for none; then one line per unit with a problem or a
     * changed file, so nothing is lost to column widths.
     */
    public String table(List<UnitRow> rows) {
        if (rows.isEmpty()) {
            return "no units\n";
        }
        TextTable t = new TextTable(List.of("UNIT", "STATE", "PID", "UPTIME", "RESTARTS", "LAST-EXIT", "CONSOLE"),
                false, false, true, true, true, false, false);
        StringBuilder notes = new StringBuilder();
        for (UnitRow row : rows) {
            UnitStatus s = row.status();
            t.add(List.of(
                    s.name(),
                    s.state().name(),
                    s.pid().isPresent() ? Integer.toString(s.pid().getAsInt()) : "-",
                    uptime(s).map(StatusReport::formatUptime).orElse("-"),
                    Integer.toString(s.restarts()),
                    s.lastExit().map(ExitStatus::brief).orElse("-"),
                    row.console().isEmpty() ? "-" : row.console()));
            s.problem().ifPresent(p -> notes.append(s.name()).append(": ").append(p).append('\n'));
            if (row.changedOnDisk()) {
                notes.append(s.name()).append(": changed (restart to apply)\n");
            }
        }
        return t.render() + (notes.isEmpty() ? "" : "\n" + notes);
    }

    /** A JSON array, one object per unit on its own line. */
    public String json(List<UnitRow> rows) {
        return JsonWriter.arrayOfLines(rows.stream().map(this::object).toList());
    }

    private String object(UnitRow row) {
        UnitStatus s = row.status();
        JsonWriter w = new JsonWriter().beginObject();
        w.name("name").value(s.name());
        w.name("state").value(s.state().name());
        w.name("pid");
        if (s.pid().isPresent()) {
            w.value(s.pid().getAsInt());
        } else {
            w.nullValue();
        }
        w.name("since").value(s.since().map(t -> t.truncatedTo(ChronoUnit.MILLIS).toString()).orElse(null));
        w.name("uptime_seconds");
        Optional<Duration> up = uptime(s);
        if (up.isPresent()) {
            w.value(up.get().toSeconds());
        } else {
            w.nullValue();
        }
        w.name("restarts").value(s.restarts());
        w.name("restart_mode").value(s.restartMode().key());
        // after the older fields, so scripts that match "state" then "pid" keep working
        w.name("goal").value(s.goal().word());
        w.name("last_exit");
        if (s.lastExit().isPresent()) {
            ExitStatus e = s.lastExit().get();
            w.beginObject();
            if (e.signal().isPresent()) {
                w.name("signal").value(e.signal().get().name());
            } else {
                w.name("code").value(e.code());
            }
            w.name("core_dumped").value(e.coreDumped()).endObject();
        } else {
            w.nullValue();
        }
        w.name("console").value(row.console().isEmpty() ? null : row.console());
        w.name("problem").value(s.problem().orElse(null));
        w.name("pending_change").value(row.changedOnDisk());
        return w.endObject().toString();
    }

    /** How long the child has been running; only RUNNING has one (since = when that state began). */
    private Optional<Duration> uptime(UnitStatus s) {
        if (s.state() != State.RUNNING || s.since().isEmpty()) {
            return Optional.empty();
        }
        Duration d = Duration.between(s.since().get(), Instant.now(clock));
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
    }

    /** "12:34" under an hour, "1:02:03" under a day, "3d 04:05:06" beyond. */
    static String formatUptime(Duration d) {
        long total = d.toSeconds();
        long days = total / 86400;
        long h = total % 86400 / 3600;
        long m = total % 3600 / 60;
        long sec = total % 60;
        if (days > 0) {
            return String.format("%dd %02d:%02d:%02d", days, h, m, sec);
        }
        if (h > 0) {
            return String.format("%d:%02d:%02d", h, m, sec);
        }
        return String.format("%02d:%02d", m, sec);
    }
}
