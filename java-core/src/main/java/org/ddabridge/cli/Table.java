package org.ddabridge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A left-aligned text table that fits {@link Term#width()}: when the natural widths are too wide, the columns
 * marked wrappable (reasons, findings: text one reads whole) or truncatable (names, classes: a label, cut with
 * an ellipsis) give up space, widest first; other columns (addresses, ids, verdicts) keep their width so they
 * stay copyable. Colour is applied after padding, so escape codes never count as width.
 */
final class Table {
    /** A wrapped column keeps at least this many characters. */
    static final int MIN_WRAP = 12;
    private static final int GAP = 2;

    private final List<String[]> rows = new ArrayList<>();
    private final Set<Integer> wrappable = new HashSet<>();
    private final Set<Integer> styled = new HashSet<>();
    private final Set<Integer> truncatable = new HashSet<>();
    private final List<Integer> optional = new ArrayList<>();
    private final int cols;

    Table(String... header) {
        cols = header.length;
        rows.add(header);
    }

    Table row(String... cells) {
        if (cells.length != cols) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table " + cols);
        }
        String[] c = new String[cols];
        for (int i = 0; i < cols; i++) {
            c[i] = cells[i] == null ? "" : cells[i];
        }
        rows.add(c);
        return this;
    }

    /** Columns whose cells may wrap. */
    Table wrap(int... columns) {
        Arrays.stream(columns).forEach(wrappable::add);
        return this;
    }

    /** Columns left out, in this order, when the table does not fit even with every shrinkable column at its least. */
    Table optional(int... columns) {
        Arrays.stream(columns).forEach(optional::add);
        return this;
    }

    /** Columns whose cells are cut (with an ellipsis) to fit. */
    Table truncate(int... columns) {
        Arrays.stream(columns).forEach(truncatable::add);
        return this;
    }

    /** Columns coloured by {@link Term#styleOf} (verdicts, statuses). */
    Table styled(int... columns) {
        Arrays.stream(columns).forEach(styled::add);
        return this;
    }

    int size() {
        return rows.size() - 1;
    }

    /** The column widths after fitting into {@code width} (0: no limit); a dropped column has width -1. */
    int[] widths(int width) {
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        if (width <= 0) {
            return w;
        }
        Set<Integer> shrinkable = new HashSet<>(wrappable);
        shrinkable.addAll(truncatable);
        int dropped = 0;
        while (total(w) > width) {
            int widest = -1;
            for (int i : shrinkable) {
                if (w[i] > MIN_WRAP && (widest < 0 || w[i] > w[widest])) {
                    widest = i;
                }
            }
            if (widest >= 0) {
                w[widest] = Math.max(MIN_WRAP, w[widest] - (total(w) - width));
            } else if (dropped < optional.size()) {
                w[optional.get(dropped++)] = -1;
            } else {
                break;
            }
        }
        return w;
    }

    private static int total(int[] w) {
        int sum = 0;
        int shown = 0;
        for (int x : w) {
            if (x >= 0) {
                sum += x;
                shown++;
            }
        }
        return sum + GAP * Math.max(0, shown - 1);
    }

    void print(PrintWriter out, Term term) {
        int[] w = widths(term.width());
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            List<List<String>> cells = new ArrayList<>();
            int lines = 1;
            for (int i = 0; i < cols; i++) {
                if (w[i] < 0) {
                    cells.add(List.of());
                    continue;
                }
                List<String> l = wrappable.contains(i) ? wrapText(row[i], w[i])
                        : truncatable.contains(i) && row[i].length() > w[i]
                        ? List.of(row[i].substring(0, w[i] - 1) + "\u2026") : List.of(row[i]);
                cells.add(l);
                lines = Math.max(lines, l.size());
            }
            for (int line = 0; line < lines; line++) {
                StringBuilder sb = new StringBuilder();
                int last = cols - 1;
                while (last > 0 && w[last] < 0) {
                    last--;
                }
                for (int i = 0; i < cols; i++) {
                    if (w[i] < 0) {
                        continue;
                    }
                    String text = line < cells.get(i).size() ? cells.get(i).get(line) : "";
                    String shown = r == 0 ? term.paint(Term.Style.BOLD, text)
                            : styled.contains(i) ? term.paint(Term.styleOf(text), text) : text;
                    sb.append(shown);
                    if (i < last) {
                        sb.append(" ".repeat(Math.max(0, w[i] - text.length()) + GAP));
                    }
                }
                out.println(strip(sb));
            }
        }
    }

    private static String strip(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }

    /** Word-wrap {@code text} into lines of at most {@code width} characters (a longer word is cut). */
    static List<String> wrapText(String text, int width) {
        List<String> out = new ArrayList<>();
        if (width <= 0 || text.length() <= width) {
            out.add(text);
            return out;
        }
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            while (word.length() > width) {
                if (line.length() > 0) {
                    out.add(line.toString());
                    line.setLength(0);
                }
                out.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0 || out.isEmpty()) {
            out.add(line.toString());
        }
        return out;
    }
}
