package io.herald.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table for people: left-aligned columns sized to their widest cell, numbers right-aligned. */
final class TextTable {

    /** What a missing value prints as. */
    static final String NONE = "—";

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final boolean[] numeric;

    TextTable(String... header) {
        this.header = List.of(header);
        this.numeric = new boolean[header.length];
    }

    /** Right-aligns the given columns. */
    TextTable numeric(int... columns) {
        for (int c : columns) {
            numeric[c] = true;
        }
        return this;
    }

    TextTable row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            row.add(cell == null ? NONE : cell.toString());
        }
        rows.add(row);
        return this;
    }

    void print(PrintWriter out) {
        int[] widths = new int[header.size()];
        for (List<String> row : allRows()) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : allRows()) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                boolean last = c == row.size() - 1;
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(numeric[c] ? pad + cell : last ? cell : cell + pad);
                if (!last) {
                    line.append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private List<List<String>> allRows() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }
}
