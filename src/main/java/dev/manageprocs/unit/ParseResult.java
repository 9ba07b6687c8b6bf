package dev.manageprocs.unit;

import java.util.List;

/** The outcome of parsing one unit file: a valid Unit, or every problem found in it. */
public sealed interface ParseResult {

    /**
     * A valid unit, where its values were written, and the text it was parsed from (a live re-exec hands
     * that text over, so the new code runs the unit as loaded even when its file changed since).
     */
    record Ok(Unit unit, SourceMap source, String text) implements ParseResult {
    }

    /** At least one problem, in file order. */
    record Failed(List<Diagnostic> diagnostics) implements ParseResult {
        public Failed {
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
