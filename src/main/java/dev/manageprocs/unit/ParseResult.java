package dev.manageprocs.unit;

import java.util.List;

/** The outcome of parsing one unit file: a valid Unit, or every problem found in it. */
public sealed interface ParseResult {

    /** A valid unit and where its values were written. */
    record Ok(Unit unit, SourceMap source) implements ParseResult {
    }

    /** At least one problem, in file order. */
    record Failed(List<Diagnostic> diagnostics) implements ParseResult {
        public Failed {
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
