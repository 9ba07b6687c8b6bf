package dev.manageprocs.control;

import java.util.List;

/** The output of {@code list}: UNIT STATE FILE NOTE, or JSON. */
public final class ListReport {
    private ListReport() {
    }

    public static String table(List<ListRow> rows) {
        if (rows.isEmpty()) {
            return "no units\n";
        }
        TextTable t = new TextTable(List.of("UNIT", "STATE", "FILE", "NOTE"));
        rows.forEach(r -> t.add(List.of(r.name(), r.state(), r.file(), r.note())));
        return t.render();
    }

    public static String json(List<ListRow> rows) {
        return JsonWriter.arrayOfLines(rows.stream().map(r -> new JsonWriter().beginObject()
                .name("name").value(r.name())
                .name("state").value(r.state())
                .name("file").value(r.file())
                .name("note").value(r.note().isEmpty() ? null : r.note())
                .endObject().toString()).toList());
    }
}
