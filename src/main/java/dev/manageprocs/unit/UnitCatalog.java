package dev.manageprocs.unit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rules across unit files: unique names, and no socket claimed by two units. */
public final class UnitCatalog {
    private UnitCatalog() {
    }

    /** One unit that must not be loaded beside the others, and why. */
    public record Conflict(Unit unit, Diagnostic diagnostic) {
    }

    /**
     * The clashes among units, each reported at the later unit (in list order) so that the earlier,
     * already running one keeps its socket. Put loaded units first and new ones after them.
     */
    public static List<Conflict> conflicts(List<ParseResult.Ok> units) {
        List<Conflict> out = new ArrayList<>();
        Map<String, ParseResult.Ok> byName = new HashMap<>();
        for (int j = 0; j < units.size(); j++) {
            ParseResult.Ok later = units.get(j);
            ParseResult.Ok twin = byName.putIfAbsent(later.unit().name(), later);
            if (twin != null) {
                out.add(new Conflict(later.unit(), new Diagnostic(later.source().file(), 0, 0, "unit '"
                        + later.unit().name() + "' is already defined by " + twin.source().file()
                        + "; remove or rename one of the two files")));
                continue;
            }
            for (int i = 0; i < j; i++) {
                clashes(units.get(i), later, out);
            }
        }
        return out;
    }

    private static void clashes(ParseResult.Ok earlier, ParseResult.Ok later, List<Conflict> out) {
        Map<String, Endpoint> mine = endpoints(later);
        Map<String, Endpoint> theirs = endpoints(earlier);
        for (var m : mine.entrySet()) {
            for (var t : theirs.entrySet()) {
                Endpoint e = m.getValue();
                if (!(e instanceof Endpoint.UnixDefault) && Endpoints.clash(e, t.getValue())) {
                    String where = earlier.source().locate(t.getKey())
                            .map(l -> l.file() + ":" + l.line() + ":" + l.column())
                            .orElse(earlier.source().file().toString());
                    String name = later.source().locate(m.getKey()).map(SourceMap.Location::name).orElse(m.getKey());
                    String fix = e instanceof Endpoint.Tcp ? "choose another port, or \"tcp:127.0.0.1:0\" for any free one"
                            : "choose another socket path or name";
                    out.add(new Conflict(later.unit(), later.source().diagnostic(m.getKey(), name + " = \"" + e.spec()
                            + "\" is already used by unit '" + earlier.unit().name() + "' (" + where + "); " + fix)));
                    break;
                }
            }
        }
    }

    /** Every endpoint of the unit by its dotted key ("console.listen[0]"). */
    private static Map<String, Endpoint> endpoints(ParseResult.Ok parsed) {
        Map<String, Endpoint> out = new LinkedHashMap<>();
        List<Endpoint> listen = parsed.unit().console().listen();
        for (int i = 0; i < listen.size(); i++) {
            out.put("console.listen[" + i + "]", listen.get(i));
        }
        List<Endpoint> logListen = parsed.unit().console().logListen();
        for (int i = 0; i < logListen.size(); i++) {
            out.put("console.log_listen[" + i + "]", logListen.get(i));
        }
        return out;
    }
}
