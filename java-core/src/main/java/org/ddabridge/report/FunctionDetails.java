package org.ddabridge.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The details of one function: facts, verdict per target, reasons with remediation, and what to run next. */
final class FunctionDetails {
    private FunctionDetails() {
    }

    static void render(StringBuilder sb, HostView h, FunctionView f) {
        sb.append("<dl>");
        item(sb, "Name", f.displayName());
        item(sb, "IDs", f.ids() + (f.classCode() == null ? "" : ", class " + f.classCode())
                + (f.className() == null ? "" : " (" + f.className() + ")"));
        item(sb, "Driver", f.driver() == null ? "none" : f.driver());
        item(sb, "Location path", f.locationPath());
        item(sb, "Instance id", f.instanceId());
        item(sb, "Upstream bridge", f.parent() == null ? "root bus" : f.parent());
        item(sb, "IOMMU group", f.iommuGroup() == null ? "predicted: " + String.join(" ", f.predictedGroup())
                : f.iommuGroup() + " (predicted members: " + String.join(" ", f.predictedGroup()) + ")");
        if (!f.mustMoveWith().isEmpty()) {
            item(sb, "Must move with", String.join(" ", f.mustMoveWith()));
        }
        item(sb, "Reset", f.resetMethods().isEmpty() ? "none" : String.join(", ", f.resetMethods()));
        for (Map.Entry<String, String> e : f.targetVerdicts().entrySet()) {
            item(sb, "Verdict (" + e.getKey() + ")", Html.verdictLabel(e.getValue()));
        }
        sb.append("</dl>\n<ul class=\"reasons\">");
        for (ReasonView r : f.reasons()) {
            sb.append("<li class=\"sev-").append(Html.esc(r.severity())).append("\"><span class=\"sev\">")
                    .append(Html.esc(r.severity())).append("</span> <b>").append(Html.esc(r.code())).append("</b> ")
                    .append(Html.esc(r.message()));
            if (r.remediation() != null) {
                sb.append("<div class=\"fix\">\u2192 ").append(Html.esc(r.remediation())).append("</div>");
            }
            if (!r.evidence().isEmpty()) {
                sb.append("<div class=\"ev\">").append(Html.esc(String.join(" \u00b7 ", r.evidence()))).append("</div>");
            }
            sb.append("</li>");
        }
        sb.append("</ul>\n");
        List<String> next = nextCommands(h, f);
        if (!next.isEmpty()) {
            sb.append("<div class=\"next\"><b>Next commands</b><pre>");
            for (String c : next) {
                sb.append(Html.esc(c)).append('\n');
            }
            sb.append("</pre></div>\n");
        }
    }

    /**
     * What an administrator runs next for this function: nothing for bridges and functions that cannot be
     * assigned (their reasons say what to fix), the dismount with its group for the others, in DdaBridge's words
     * and in the target's own tools.
     */
    static List<String> nextCommands(HostView h, FunctionView f) {
        List<String> out = new ArrayList<>();
        boolean anyTarget = !f.verdict().equals("NotAssignable")
                || f.targetVerdicts().values().stream().anyMatch(v -> !v.equals("NotAssignable"));
        if (!anyTarget || f.isBridge() || f.isHostBridge()) {
            return out;
        }
        List<String> all = new ArrayList<>();
        all.add(f.address());
        all.addAll(f.mustMoveWith());
        String addresses = String.join(" ", all);
        if (h.platform().equals("windows")) {
            out.add("# Hyper-V (elevated PowerShell on " + h.name() + ")");
            out.add("Dismount-DdaHostAssignableDevice -Address " + String.join(",", all) + " -WhatIf");
            if (f.locationPath() != null) {
                out.add("Disable-PnpDevice -InstanceId '" + f.instanceId() + "' -Confirm:$false");
                out.add("Dismount-VMHostAssignableDevice -LocationPath '" + f.locationPath() + "' -Force");
                out.add("Add-VMAssignableDevice -LocationPath '" + f.locationPath() + "' -VMName <vm>");
            }
        } else {
            out.add("# Linux VFIO (root on " + h.name() + ")");
            out.add("ddabridge dismount " + addresses + " --what-if");
            out.add("ddabridge dismount " + addresses);
            StringBuilder qemu = new StringBuilder("qemu-system-x86_64 ...");
            for (String a : all) {
                qemu.append(" -device vfio-pci,host=").append(a);
            }
            out.add(qemu.toString());
            out.add("ddabridge mount " + addresses + "   # give it back to the host");
        }
        return out;
    }

    private static void item(StringBuilder sb, String k, String v) {
        sb.append("<dt>").append(Html.esc(k)).append("</dt><dd>").append(Html.esc(v)).append("</dd>");
    }
}
