package org.ddabridge.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet part of a report on several hosts: one row per host (readiness, counts per verdict) and the matrix of
 * device models across hosts, which answers "which hosts can give which device model to a VM". Bridges, ports and
 * host bridges are left out of the matrix: they are never assignable and every host has them.
 */
final class FleetSection {
    /** Best first: a host can give the model when at least one of its functions of that model can go. */
    private static final List<String> ORDER = List.of("Assignable", "AssignableWithWarnings", "NotAssignable");

    private FleetSection() {
    }

    static void render(StringBuilder sb, List<HostView> hosts) {
        sb.append("<section id=\"fleet\" class=\"fleet\">\n<h2>Fleet: ").append(hosts.size()).append(" hosts</h2>\n")
                .append("<table class=\"hosts sortable\"><thead><tr><th>Host</th><th>Platform</th><th>Readiness</th>"
                        + "<th>Failed checks</th><th>Functions</th>");
        for (String v : ORDER) {
            sb.append("<th>").append(Html.verdictLabel(v)).append("</th>");
        }
        sb.append("</tr></thead><tbody>\n");
        for (int i = 0; i < hosts.size(); i++) {
            HostView h = hosts.get(i);
            List<String> failed = new ArrayList<>();
            for (CheckView c : h.checks()) {
                if (c.status().equals("fail")) {
                    failed.add(c.id());
                }
            }
            sb.append("<tr data-host=\"").append(Html.esc(h.name())).append("\"><td><a href=\"#host-").append(i)
                    .append("\">").append(Html.esc(h.name())).append("</a></td><td>").append(Html.esc(h.platform()))
                    .append("</td><td><span class=\"status s-").append(h.readiness()).append("\">").append(h.readiness())
                    .append("</span></td><td>").append(Html.esc(String.join(", ", failed))).append("</td><td>")
                    .append(h.functions().size()).append("</td>");
            for (String v : ORDER) {
                sb.append("<td class=\"").append(Html.verdictClass(v)).append("\">").append(h.count(v, null)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody></table>\n");
        matrix(sb, hosts);
        sb.append("</section>\n");
    }

    private static void matrix(StringBuilder sb, List<HostView> hosts) {
        // model ids -> host index -> that host's functions of the model
        Map<String, Map<Integer, List<FunctionView>>> models = new TreeMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (int i = 0; i < hosts.size(); i++) {
            for (FunctionView f : hosts.get(i).functions()) {
                if (f.isBridge() || f.isHostBridge()) {
                    continue;
                }
                models.computeIfAbsent(f.ids(), k -> new TreeMap<>()).computeIfAbsent(i, k -> new ArrayList<>()).add(f);
                names.putIfAbsent(f.ids(), f.displayName());
            }
        }
        List<String> keys = new ArrayList<>(models.keySet());
        keys.sort(Comparator.comparing((String k) -> -hostsAble(models.get(k))).thenComparing(names::get));
        sb.append("<h3>Device models across hosts</h3>\n<p class=\"hint\">Each cell: the functions of that model on "
                + "the host and the best verdict among them (hover for each function).</p>\n<div class=\"matrix-wrap\">"
                + "<table class=\"matrix sortable\"><thead><tr><th>Model</th><th>IDs</th><th>Hosts that can assign it</th>");
        for (int i = 0; i < hosts.size(); i++) {
            sb.append("<th><a href=\"#host-").append(i).append("\">").append(Html.esc(hosts.get(i).name()))
                    .append("</a></th>");
        }
        sb.append("</tr></thead><tbody>\n");
        for (String k : keys) {
            Map<Integer, List<FunctionView>> perHost = models.get(k);
            sb.append("<tr><td>").append(Html.esc(names.get(k))).append("</td><td>").append(Html.esc(k))
                    .append("</td><td data-sort=\"").append(hostsAble(perHost)).append("\">").append(hostsAble(perHost))
                    .append(" / ").append(hosts.size()).append("</td>");
            for (int i = 0; i < hosts.size(); i++) {
                List<FunctionView> fs = perHost.get(i);
                if (fs == null) {
                    sb.append("<td class=\"none\">\u2014</td>");
                    continue;
                }
                String best = best(fs);
                StringBuilder title = new StringBuilder();
                for (FunctionView f : fs) {
                    title.append(f.address()).append(": ").append(Html.verdictLabel(f.verdict())).append('\n');
                }
                sb.append("<td class=\"").append(Html.verdictClass(best)).append("\" title=\"")
                        .append(Html.esc(title.toString().trim())).append("\"><a href=\"#")
                        .append(Html.fnId(i, fs.get(0).address())).append("\">").append(fs.size()).append(" \u00d7 ")
                        .append(Html.esc(Html.verdictLabel(best))).append("</a></td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody></table></div>\n");
    }

    private static long hostsAble(Map<Integer, List<FunctionView>> perHost) {
        return perHost.values().stream().filter(fs -> !best(fs).equals("NotAssignable")).count();
    }

    private static String best(List<FunctionView> fs) {
        int best = ORDER.size() - 1;
        for (FunctionView f : fs) {
            int o = ORDER.indexOf(f.verdict());
            if (o >= 0 && o < best) {
                best = o;
            }
        }
        return ORDER.get(best);
    }
}
