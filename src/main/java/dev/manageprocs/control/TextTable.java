package dev.manageprocs.control;

import java.util.ArrayList;
import java.util.List;

/** Columns aligned with two spaces between them; right-aligned columns for numbers; no trailing blanks. */
final class TextTable {
    private final List<String> header;
    private final boolean[] rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header, boolean... rightAligned) {
        this.header = header;
        this.rightAligned = rightAligned.length == header.size() ? rightAligned : new boolean[header.size()];
    }

    void add(List<String> row) {
        rows.add(row);
    }

    String render() {
        int[] width = new int[header.size()];
        for (List<String> row : allRows()) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : allRows()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                boolean right = rightAligned[i];
                line.append(right ? pad + cell : cell + pad);
                if (i < row.size() - 1) {
                    line.append("  ");
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private List<List<String>> allRows() {
        List<List<String>> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
