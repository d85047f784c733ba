package org.ddabridge.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One self-contained HTML document for one host or a fleet. Styles and script are inlined from this package's
 * resources, and a Content-Security-Policy forbids every fetch (no network, also when opened from an e-mail
 * attachment); a print stylesheet opens every detail and drops the controls.
 */
public final class HtmlReport {
    /** Everything inline, nothing fetched: connect/img/font/frame sources all fall back to 'none'. */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
            + "img-src data:; base-uri 'none'; form-action 'none'";

    private HtmlReport() {
    }

    /** @param generated when the report was written (ISO-8601), shown in the footer */
    public static String render(List<HostView> hosts, String generated, String version) {
        boolean fleet = hosts.size() > 1;
        String title = fleet ? "DdaBridge fleet report: " + hosts.size() + " hosts"
                : "DdaBridge report: " + (hosts.isEmpty() ? "" : hosts.get(0).name());
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"").append(Html.esc(version)).append("\">\n<title>")
                .append(Html.esc(title)).append("</title>\n<style>\n").append(resource("report.css"))
                .append("</style>\n</head><body>\n<header><h1>").append(Html.esc(title)).append("</h1>\n<p>PCIe device "
                        + "pass-through (Hyper-V DDA, Linux VFIO): host readiness, topology with IOMMU groups, and a "
                        + "verdict for every PCI function.</p></header>\n<main>\n");
        if (fleet) {
            FleetSection.render(sb, hosts);
            sb.append("<nav class=\"hostnav noprint\">Hosts: ");
            for (int i = 0; i < hosts.size(); i++) {
                sb.append("<a href=\"#host-").append(i).append("\">").append(Html.esc(hosts.get(i).name())).append("</a> ");
            }
            sb.append("</nav>\n");
        }
        for (int i = 0; i < hosts.size(); i++) {
            HostSection.render(sb, i, hosts.get(i), fleet);
        }
        sb.append("</main>\n<footer>Written by ").append(Html.esc(version)).append(" at ").append(Html.esc(generated))
                .append(". Self-contained: opens offline, fetches nothing.</footer>\n<script>\n")
                .append(resource("report.js")).append("</script>\n</body></html>\n");
        return sb.toString();
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("report resource missing from the jar: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
