package org.ddabridge.report;

import java.util.List;
import java.util.Map;

/**
 * Draws a {@link Topology} as inline SVG: one box per node (two text lines: address and name; ids, driver and
 * location path), elbow lines from each upstream node, and IOMMU groups as dashed enclosures labelled with the
 * group. Each function box links to its details (so it works without JavaScript), carries its verdict per target
 * in {@code data-v-*} attributes for the target switch, and a {@code <title>} tooltip with its reasons.
 */
final class TopologySvg {
    private static final int ROW = 44;
    private static final int BOX_H = 34;
    private static final int INDENT = 26;
    private static final int BOX_W = 500;
    private static final int LABEL_W = 150;
    private static final int PAD = 12;

    private TopologySvg() {
    }

    static String render(int hostIndex, HostView host, Topology t) {
        List<Topology.Row> rows = t.rows();
        int maxDepth = rows.stream().mapToInt(Topology.Row::depth).max().orElse(0);
        int width = PAD * 2 + maxDepth * INDENT + BOX_W + LABEL_W;
        int height = PAD * 2 + rows.size() * ROW;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"topology\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\"><title>PCIe topology of ").append(Html.esc(host.name())).append("</title>\n");
        for (Topology.GroupRun g : t.groups()) {
            int minDepth = Integer.MAX_VALUE;
            for (int i = g.firstRow(); i <= g.lastRow(); i++) {
                minDepth = Math.min(minDepth, rows.get(i).depth());
            }
            int x = x(minDepth) - 5;
            int y = y(g.firstRow()) - 4;
            int w = width - PAD - x;
            int h = (g.lastRow() - g.firstRow()) * ROW + BOX_H + 8;
            sb.append("<g class=\"group\"><rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"")
                    .append(w).append("\" height=\"").append(h).append("\" rx=\"6\"/><text x=\"").append(width - PAD - 6)
                    .append("\" y=\"").append(y + 14).append("\" text-anchor=\"end\">").append(Html.esc(g.label()))
                    .append("</text></g>\n");
        }
        for (int i = 0; i < rows.size(); i++) {
            Topology.Row r = rows.get(i);
            if (r.parentRow() >= 0) {
                int px = x(rows.get(r.parentRow()).depth()) + 10;
                int py = y(r.parentRow()) + BOX_H;
                sb.append("<path class=\"link\" d=\"M").append(px).append(' ').append(py).append(" V")
                        .append(y(i) + BOX_H / 2).append(" H").append(x(r.depth())).append("\"/>\n");
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            node(sb, hostIndex, rows.get(i), x(rows.get(i).depth()), y(i));
        }
        return sb.append("</svg>").toString();
    }

    private static void node(StringBuilder sb, int hostIndex, Topology.Row r, int x, int y) {
        FunctionView f = r.function();
        if (f == null) {
            sb.append("<g class=\"node rc\"><rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"")
                    .append(BOX_W).append("\" height=\"").append(BOX_H).append("\" rx=\"4\"/>");
            text(sb, x, y, "Root complex " + r.label(), "PCI domain and root bus");
            sb.append("</g>\n");
            return;
        }
        sb.append("<a href=\"#").append(Html.fnId(hostIndex, f.address())).append("\" class=\"fnlink\">");
        sb.append("<g class=\"node fn ").append(r.role()).append(' ').append(Html.verdictClass(f.verdict()))
                .append("\" data-address=\"").append(Html.esc(f.address())).append("\" data-v=\"")
                .append(Html.esc(f.verdict())).append('"');
        for (Map.Entry<String, String> e : f.targetVerdicts().entrySet()) {
            sb.append(" data-v-").append(Html.esc(e.getKey())).append("=\"").append(Html.esc(e.getValue())).append('"');
        }
        sb.append("><title>").append(Html.esc(tooltip(f, r.role()))).append("</title>");
        sb.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(BOX_W)
                .append("\" height=\"").append(BOX_H).append("\" rx=\"").append(r.role().equals("endpoint") ? 4 : 12)
                .append("\"/>");
        String role = r.role().equals("endpoint") ? "" : "[" + r.role().replace('-', ' ') + "] ";
        String line2 = f.ids() + " \u00b7 " + (f.driver() == null ? "no driver" : f.driver()) + " \u00b7 "
                + (f.locationPath() == null ? "" : f.locationPath());
        text(sb, x, y, f.address() + "  " + role + f.displayName(), line2);
        sb.append("</g></a>\n");
    }

    private static void text(StringBuilder sb, int x, int y, String line1, String line2) {
        sb.append("<text x=\"").append(x + 8).append("\" y=\"").append(y + 14).append("\" class=\"l1\">")
                .append(Html.esc(Html.cut(line1, 78))).append("</text><text x=\"").append(x + 8).append("\" y=\"")
                .append(y + 28).append("\" class=\"l2\">").append(Html.esc(Html.cut(line2, 88))).append("</text>");
    }

    /** The hover text: verdict, then the warnings and errors that decide it. */
    static String tooltip(FunctionView f, String role) {
        StringBuilder sb = new StringBuilder(f.address()).append(" \u2014 ").append(Html.verdictLabel(f.verdict()));
        for (Map.Entry<String, String> e : f.targetVerdicts().entrySet()) {
            sb.append("\n  ").append(e.getKey()).append(": ").append(Html.verdictLabel(e.getValue()));
        }
        for (ReasonView r : f.reasons()) {
            if (!r.severity().equals("info")) {
                sb.append("\n").append(r.severity().equals("error") ? "\u2716 " : "! ").append(r.code()).append(": ")
                        .append(r.message());
                if (r.remediation() != null) {
                    sb.append("\n    \u2192 ").append(r.remediation());
                }
            }
        }
        return sb.append("\n(click for details and next commands)").toString();
    }

    private static int x(int depth) {
        return PAD + depth * INDENT;
    }

    private static int y(int row) {
        return PAD + row * ROW;
    }
}
