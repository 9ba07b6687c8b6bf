package dev.manageprocs.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.supervisor.Goal;
import dev.manageprocs.supervisor.State;
import dev.manageprocs.supervisor.UnitStatus;
import dev.manageprocs.unit.RestartMode;
import dev.manageprocs.unit.Signal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Golden outputs of status, list and write-procs-cf, and JSON escaping. */
class ReportsTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private final StatusReport report = new StatusReport(Clock.fixed(NOW, ZoneOffset.UTC));

    private static final List<UnitRow> ROWS = List.of(
            new UnitRow(new UnitStatus("ioc1", State.RUNNING, Goal.RUN, OptionalInt.of(4242),
                    Optional.of(NOW.minus(Duration.ofSeconds(3 * 86400 + 4 * 3600 + 5 * 60 + 6))), 2,
                    Optional.of(ExitStatus.exited(3)), RestartMode.ALWAYS, Optional.empty()),
                    "unix:/run/manage-procs/ioc1/control", true),
            new UnitRow(new UnitStatus("bl2-motor", State.RUNNING, Goal.RUN, OptionalInt.of(77),
                    Optional.of(NOW.minusSeconds(12 * 60 + 34)), 0, Optional.empty(), RestartMode.ON_FAILURE,
                    Optional.empty()), "tcp:127.0.0.1:20000", false),
            new UnitRow(new UnitStatus("crashy", State.FATAL, Goal.RUN, OptionalInt.empty(), Optional.of(NOW.minusSeconds(5)),
                    10, Optional.of(ExitStatus.killed(Signal.of(11), true)), RestartMode.ALWAYS,
                    Optional.of("restarted 10 times within 10min; 'manage-procs start crashy' tries again")),
                    "", false));

    @Test
    void statusTable() {
        assertEquals("""
                UNIT       STATE     PID       UPTIME  RESTARTS  LAST-EXIT              CONSOLE
                ioc1       RUNNING  4242  3d 04:05:06         2  exit 3                 unix:/run/manage-procs/ioc1/control
                bl2-motor  RUNNING    77        12:34         0  -                      tcp:127.0.0.1:20000
                crashy     FATAL       -            -        10  SIGSEGV (core dumped)  -

                ioc1: changed (restart to apply)
                crashy: restarted 10 times within 10min; 'manage-procs start crashy' tries again
                """, report.table(ROWS));
    }

    @Test
    void statusJson() {
        assertEquals("""
                [
                  {"name":"ioc1","state":"RUNNING","pid":4242,"since":"2025-02-26T07:54:54Z","uptime_seconds":273906,\
                "restarts":2,"restart_mode":"always","goal":"run","last_exit":{"code":3,"core_dumped":false},\
                "console":"unix:/run/manage-procs/ioc1/control","problem":null,"pending_change":true},
                  {"name":"bl2-motor","state":"RUNNING","pid":77,"since":"2025-03-01T11:47:26Z","uptime_seconds":754,\
                "restarts":0,"restart_mode":"on-failure","goal":"run","last_exit":null,"console":"tcp:127.0.0.1:20000",\
                "problem":null,"pending_change":false},
                  {"name":"crashy","state":"FATAL","pid":null,"since":"2025-03-01T11:59:55Z","uptime_seconds":null,\
                "restarts":10,"restart_mode":"always","goal":"run","last_exit":{"signal":"SIGSEGV","core_dumped":true},\
                "console":null,"problem":"restarted 10 times within 10min; 'manage-procs start crashy' tries again",\
                "pending_change":false}
                ]
                """, report.json(ROWS));
        assertEquals("[]\n", report.json(List.of()));
        assertEquals("no units\n", report.table(List.of()));
    }

    @Test
    void uptimeFormats() {
        assertEquals("00:00", StatusReport.formatUptime(Duration.ZERO));
        assertEquals("59:59", StatusReport.formatUptime(Duration.ofSeconds(3599)));
        assertEquals("1:00:00", StatusReport.formatUptime(Duration.ofHours(1)));
        assertEquals("23:59:59", StatusReport.formatUptime(Duration.ofSeconds(86399)));
        assertEquals("1d 00:00:00", StatusReport.formatUptime(Duration.ofDays(1)));
        assertEquals("400d 01:02:03", StatusReport.formatUptime(Duration.ofSeconds(400 * 86400 + 3723)));
    }

    @Test
    void jsonEscaping() {
        assertEquals("\"plain\"", JsonWriter.quote("plain"));
        assertEquals("\"q\\\"b\\\\s\\/\"".replace("\\/", "/"), JsonWriter.quote("q\"b\\s/"));
        assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\"", JsonWriter.quote("\n\r\t\b\f\0\u001f\u007f"));
        assertEquals("\"\\u2028\\u2029\"", JsonWriter.quote("\u2028\u2029"));
        assertEquals("\"é☃\uD83D\uDE00\"", JsonWriter.quote("é☃\uD83D\uDE00")); // pairs stay as they are
        assertEquals("\"\\ud83d x \\ude00\"", JsonWriter.quote("\uD83D x \uDE00")); // lone halves escaped
        assertEquals("{\"a\":[1,true,null,\"x\"],\"b\":{}}", new JsonWriter().beginObject().name("a").beginArray()
                .value(1).value(true).nullValue().value("x").endArray().name("b").beginObject().endObject()
                .endObject().toString());
    }

    @Test
    void listTableAndJson() {
        List<ListRow> rows = List.of(
                new ListRow("ioc1", "RUNNING", "/etc/manage-procs/units/ioc1.toml", ""),
                new ListRow("other", "excluded", "/etc/manage-procs/units/other.toml", "host = \"ioc-bl9\" is not this host"),
                new ListRow("bad", "broken", "/etc/manage-procs/units/bad.toml", "bad.toml:3:1: unknown key 'comand'"));
        assertEquals("""
                UNIT   STATE     FILE                                NOTE
                ioc1   RUNNING   /etc/manage-procs/units/ioc1.toml
                other  excluded  /etc/manage-procs/units/other.toml  host = "ioc-bl9" is not this host
                bad    broken    /etc/manage-procs/units/bad.toml    bad.toml:3:1: unknown key 'comand'
                """, ListReport.table(rows));
        assertEquals("""
                [
                  {"name":"ioc1","state":"RUNNING","file":"/etc/manage-procs/units/ioc1.toml","note":null},
                  {"name":"other","state":"excluded","file":"/etc/manage-procs/units/other.toml","note":"host = \\"ioc-bl9\\" is not this host"},
                  {"name":"bad","state":"broken","file":"/etc/manage-procs/units/bad.toml","note":"bad.toml:3:1: unknown key 'comand'"}
                ]
                """, ListReport.json(rows));
    }

    @Test
    void conserverConfig() {
        assertEquals("""
                # conserver consoles of the manage-procs units; generated by 'manage-procs write-procs-cf'.
                # Do not edit: run it again after adding or removing units.

                console ioc1 {
                    master localhost;
                    type uds;
                    uds /run/manage-procs/ioc1/control;
                }

                console bl2-motor {
                    master localhost;
                    type host;
                    host 127.0.0.1;
                    port 20000;
                }

                console odd {
                    master localhost;
                    type uds;
                    uds "/run/my dir/\\"odd\\"";
                }
                """, ConserverConfig.render(List.of(
                new ConserverConfig.Uds("ioc1", Path.of("/run/manage-procs/ioc1/control")),
                new ConserverConfig.Tcp("bl2-motor", "127.0.0.1", 20000),
                new ConserverConfig.Uds("odd", Path.of("/run/my dir/\"odd\"")))));
    }
}
