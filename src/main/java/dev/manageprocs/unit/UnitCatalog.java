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
     * already running one keeps its socket. Put loaded units first and new ones after them. A unit
     * named in a Conflict must not be loaded; the others can all be loaded together.
     */
    public static List<Conflict> conflicts(List<ParseResult.Ok> units) {
        List<Conflict> out = new ArrayList<>();
        Map<String, ParseResult.Ok> byName = new HashMap<>();
        List<ParseResult.Ok> accepted = new ArrayList<>();
        for (ParseResult.Ok later : units) {
            ParseResult.Ok twin = byName.putIfAbsent(later.unit().name(), later);
            if (twin != null) {
                out.add(new Conflict(later.unit(), new Diagnostic(later.source().file(), 0, 0, "unit '"
                        + later.unit().name() + "' is already defined by " + twin.source().file()
                        + "; remove or rename one of the two files")));
                continue;
            }
            int before = out.size();
            for (var mine : endpoints(later).entrySet()) {
                if (!(mine.getValue() instanceof Endpoint.UnixDefault)) {
                    firstClash(accepted, later, mine.getKey(), mine.getValue(), out);
                }
            }
            if (out.size() == before) {
                accepted.add(later); // a rejected unit binds nothing, so it cannot block later ones
            }
        }
        return out;
    }

    /** Reports the first earlier unit that already has e (one message per endpoint is enough). */
    private static void firstClash(List<ParseResult.Ok> earlier, ParseResult.Ok later, String key, Endpoint e,
            List<Conflict> out) {
        for (ParseResult.Ok other : earlier) {
            for (var theirs : endpoints(other).entrySet()) {
                if (Endpoints.clash(e, theirs.getValue())) {
                    String where = other.source().locate(theirs.getKey())
                            .map(l -> l.file() + ":" + l.line() + ":" + l.column())
                            .orElse(other.source().file().toString());
                    String name = later.source().locate(key).map(SourceMap.Location::name).orElse(key);
                    String fix = e instanceof Endpoint.Tcp ? "choose another port, or \"tcp:127.0.0.1:0\" for any free one"
                            : "choose another socket path or name";
                    out.add(new Conflict(later.unit(), later.source().diagnostic(key, name + " = \"" + e.spec()
                            + "\" is already used by unit '" + other.unit().name() + "' (" + where + "); " + fix)));
                    return;
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
