package org.ddabridge.report;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.MmioRequirement;

/**
 * The HTML of one host: readiness (each check, status, remediation), the topology drawing with the target switch
 * and the details panel, the sortable/filterable device table, the MMIO settings and one {@code <details>} block
 * per function (reasons, remediation, next commands). Everything but sorting, filtering, the target switch and the
 * panel works without JavaScript.
 */
final class HostSection {
    private HostSection() {
    }

    static void render(StringBuilder sb, int index, HostView h, boolean fleet) {
        sb.append("<section class=\"host\" id=\"host-").append(index).append("\" data-host=\"").append(Html.esc(h.name()))
                .append("\">\n<h2>").append(fleet ? "Host " : "").append(Html.esc(h.name())).append("</h2>\n");
        if (fleet) {
            sb.append("<p class=\"back noprint\"><a href=\"#fleet\">\u2191 fleet overview</a></p>\n");
        }
        sb.append("<p class=\"facts\">").append(Html.esc(h.platform()))
                .append(h.kernel() == null ? "" : " \u00b7 " + Html.esc(h.kernel()))
                .append(h.source() == null ? "" : " \u00b7 source " + Html.esc(h.source()))
                .append(" \u00b7 ").append(h.functions().size()).append(" PCI functions, ")
                .append(h.iommuGroupCount()).append(" IOMMU groups</p>\n");
        counts(sb, h);
        readiness(sb, h);
        topology(sb, index, h);
        table(sb, index, h);
        mmio(sb, h);
        details(sb, index, h);
        sb.append("</section>\n");
    }

    private static void counts(StringBuilder sb, HostView h) {
        sb.append("<p class=\"counts\">");
        for (String v : List.of("Assignable", "AssignableWithWarnings", "NotAssignable")) {
            sb.append("<span class=\"badge ").append(Html.verdictClass(v)).append("\">").append(h.count(v, null))
                    .append(' ').append(Html.verdictLabel(v)).append("</span> ");
        }
        sb.append("</p>\n");
    }

    private static void readiness(StringBuilder sb, HostView h) {
        sb.append("<h3>Host readiness: <span class=\"status s-").append(h.readiness()).append("\">")
                .append(h.readiness()).append("</span></h3>\n<table class=\"checks\"><thead><tr><th>Check</th>"
                        + "<th>Status</th><th>Finding</th><th>Remediation</th></tr></thead><tbody>\n");
        for (CheckView c : h.checks()) {
            sb.append("<tr><td>").append(Html.esc(c.id())).append("</td><td><span class=\"status s-")
                    .append(Html.esc(c.status())).append("\">").append(Html.esc(c.status())).append("</span></td><td>")
                    .append(Html.esc(c.message()));
            if (!c.evidence().isEmpty()) {
                sb.append("<ul class=\"evidence\">");
                for (String e : c.evidence()) {
                    sb.append("<li>").append(Html.esc(e)).append("</li>");
                }
                sb.append("</ul>");
            }
            sb.append("</td><td>").append(Html.esc(c.remediation())).append("</td></tr>\n");
        }
        sb.append("</tbody></table>\n");
    }

    private static void topology(StringBuilder sb, int index, HostView h) {
        sb.append("<h3>PCIe topology</h3>\n<div class=\"toolbar noprint\">");
        if (!h.targets().isEmpty()) {
            sb.append("<label>Verdict for <select class=\"target\"><option value=\"\">headline</option>");
            for (String t : h.targets()) {
                sb.append("<option value=\"").append(Html.esc(t)).append("\">").append(Html.esc(targetName(t)))
                        .append("</option>");
            }
            sb.append("</select></label> ");
        }
        sb.append("<span class=\"legend\">");
        for (String v : List.of("Assignable", "AssignableWithWarnings", "NotAssignable")) {
            sb.append("<span class=\"badge ").append(Html.verdictClass(v)).append("\">").append(Html.verdictLabel(v))
                    .append("</span> ");
        }
        sb.append("<span class=\"badge grp\">IOMMU group</span> rounded boxes: bridges and ports</span></div>\n")
                .append("<div class=\"topo-wrap\"><div class=\"topo-scroll\">")
                .append(TopologySvg.render(index, h, Topology.of(h.functions())))
                .append("</div><aside class=\"panel noprint\" hidden></aside></div>\n");
    }

    private static String targetName(String t) {
        return switch (t) {
            case "hyperv" -> "Hyper-V (DDA)";
            case "vfio" -> "Linux VFIO";
            default -> t;
        };
    }

    private static void table(StringBuilder sb, int index, HostView h) {
        sb.append("<h3>Devices</h3>\n<div class=\"toolbar noprint\"><input type=\"search\" class=\"filter\" "
                + "placeholder=\"filter: address, name, class, driver\u2026\" aria-label=\"filter\"> <select "
                + "class=\"vfilter\" aria-label=\"verdict\"><option value=\"\">all verdicts</option>");
        for (String v : List.of("Assignable", "AssignableWithWarnings", "NotAssignable")) {
            sb.append("<option value=\"").append(v).append("\">").append(Html.verdictLabel(v)).append("</option>");
        }
        sb.append("</select> <span class=\"shown\"></span></div>\n<table class=\"devices sortable\"><thead><tr>");
        for (String c : List.of("Address", "Name", "IDs", "Class", "Driver", "Group", "Verdict", "Reset",
                "MMIO < 4 GiB", "MMIO > 4 GiB", "Location path")) {
            sb.append("<th>").append(Html.esc(c)).append("</th>");
        }
        sb.append("</tr></thead><tbody>\n");
        for (FunctionView f : h.functions()) {
            sb.append("<tr class=\"").append(Html.verdictClass(f.verdict())).append("\" data-v=\"")
                    .append(Html.esc(f.verdict())).append("\"><td><a href=\"#").append(Html.fnId(index, f.address()))
                    .append("\">").append(Html.esc(f.address())).append("</a></td><td>")
                    .append(Html.esc(f.displayName())).append("</td><td>").append(Html.esc(f.ids())).append("</td><td>")
                    .append(Html.esc(f.className() == null ? f.classCode() : f.className())).append("</td><td>")
                    .append(Html.esc(f.driver())).append("</td><td data-sort=\"")
                    .append(f.iommuGroup() == null ? "" : f.iommuGroup()).append("\">").append(Html.esc(f.groupLabel()))
                    .append("</td><td class=\"verdict\">").append(Html.esc(Html.verdictLabel(f.verdict())))
                    .append("</td><td>").append(Html.esc(String.join(", ", f.resetMethods()))).append("</td>");
            mmioCell(sb, f.mmioBelow());
            mmioCell(sb, f.mmioAbove());
            sb.append("<td class=\"lp\">").append(Html.esc(f.locationPath())).append("</td></tr>\n");
        }
        sb.append("</tbody></table>\n");
    }

    private static void mmioCell(StringBuilder sb, long bytes) {
        sb.append("<td data-sort=\"").append(Math.max(bytes, 0)).append("\">")
                .append(bytes < 0 ? "" : Html.esc(MmioRequirement.human(bytes))).append("</td>");
    }

    /** The VM settings for each assignable function, and for all of them in one VM. */
    private static void mmio(StringBuilder sb, HostView h) {
        List<FunctionView> candidates = new ArrayList<>();
        long below = 0;
        long above = 0;
        for (FunctionView f : h.functions()) {
            if (!f.verdict().equals("NotAssignable") && f.mmioBelow() + f.mmioAbove() > 0) {
                candidates.add(f);
                below += Math.max(f.mmioBelow(), 0);
                above += Math.max(f.mmioAbove(), 0);
            }
        }
        sb.append("<h3>MMIO settings</h3>\n");
        if (candidates.isEmpty()) {
            sb.append("<p>No assignable function needs MMIO space.</p>\n");
            return;
        }
        sb.append("<table class=\"mmio\"><thead><tr><th>Function</th><th>Below 4 GiB</th><th>Above 4 GiB</th>"
                + "<th>VM settings</th></tr></thead><tbody>\n");
        for (FunctionView f : candidates) {
            sb.append("<tr><td>").append(Html.esc(f.address())).append(' ').append(Html.esc(f.displayName()))
                    .append("</td><td>").append(MmioRequirement.human(f.mmioBelow())).append("</td><td>")
                    .append(MmioRequirement.human(f.mmioAbove())).append("</td><td><code>")
                    .append(Html.esc(settings(new MmioRequirement(f.mmioBelow(), f.mmioAbove())))).append("</code></td></tr>\n");
        }
        MmioRequirement all = new MmioRequirement(below, above);
        sb.append("<tr class=\"total\"><td>All ").append(candidates.size()).append(" in one VM</td><td>")
                .append(MmioRequirement.human(below)).append("</td><td>").append(MmioRequirement.human(above))
                .append("</td><td><code>").append(Html.esc(settings(all))).append("</code></td></tr>\n</tbody></table>\n");
    }

    static String settings(MmioRequirement m) {
        return "Set-VM -VMName <vm> -LowMemoryMappedIoSpace " + MmioRequirement.mb(m.hyperVLow())
                + " -HighMemoryMappedIoSpace " + MmioRequirement.mb(m.hyperVHigh())
                + " | QEMU: -global q35-pcihost.pci-hole64-size=" + MmioRequirement.qemuSize(m.qemuHole64());
    }

    private static void details(StringBuilder sb, int index, HostView h) {
        sb.append("<h3>Functions in detail</h3>\n<div class=\"details\">\n");
        for (FunctionView f : h.functions()) {
            sb.append("<details id=\"").append(Html.fnId(index, f.address())).append("\" class=\"fn-details ")
                    .append(Html.verdictClass(f.verdict())).append("\"><summary><b>").append(Html.esc(f.address()))
                    .append("</b> ").append(Html.esc(f.displayName())).append(" \u2014 <span class=\"verdict\">")
                    .append(Html.esc(Html.verdictLabel(f.verdict()))).append("</span></summary><div class=\"body\">");
            FunctionDetails.render(sb, h, f);
            sb.append("</div></details>\n");
        }
        sb.append("</div>\n");
    }
}
