package org.ddabridge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;

import org.ddabridge.api.Envelope;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.check.CheckStatus;
import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.HostCheck;
import org.ddabridge.check.Reason;
import org.ddabridge.check.ReasonCode;
import org.ddabridge.check.Severity;
import org.ddabridge.check.Target;
import org.ddabridge.check.Verdict;
import org.ddabridge.model.Finding;
import org.ddabridge.model.HostFacts;
import org.ddabridge.model.PciDevice;
import org.ddabridge.survey.SurveyReport;
import org.ddabridge.util.Json;
/** Human-readable rendering of results and errors (JSON goes through {@link Envelope}). */
final class Output {
    private Output() {
    }

    static void human(String command, Object result, PrintWriter out) {
        if ("report".equals(command) && result instanceof Map<?, ?> map && map.get("hosts") instanceof List<?> hosts) {
            out.printf("Wrote %s (%s bytes): %d host(s)%n", map.get("output"), map.get("bytes"), hosts.size());
            for (Object h : hosts) {
                if (h instanceof Map<?, ?> m) {
                    out.printf("  %-24s readiness %-7s %s function(s) %s%n", m.get("name"), m.get("readiness"),
                            m.get("functions"), m.get("summary"));
                }
            }
        } else if (result instanceof Map<?, ?> map && AssignOutput.handles(command)) {
            AssignOutput.print(command, map, out);
        } else if (ViewOutput.handles(result)) {
            ViewOutput.print(result, out);
        } else if (result instanceof List<?> list && (list.isEmpty() || list.get(0) instanceof PciDevice)) {
            @SuppressWarnings("unchecked")
            List<PciDevice> devices = (List<PciDevice>) list;
            deviceTable(devices, out);
        } else if (result instanceof SurveyReport report) {
            survey(report, out);
        } else if (result instanceof Map<?, ?> map && map.get("host") instanceof HostFacts host) {
            hostBlock(host, out);
            out.println();
            Object devices = map.get("devices");
            if (devices instanceof List<?> list) {
                @SuppressWarnings("unchecked")
                List<PciDevice> ds = (List<PciDevice>) list;
                deviceTable(ds, out);
            }
        } else {
            out.println(Json.pretty().toJson(result));
        }
    }

    /** Host block, host checks, a device table with a VERDICT column, then each device's notable reasons. */
    static void survey(SurveyReport r, PrintWriter out) {
        HostFacts h = r.hostFacts();
        if ("dump".equals(h.platform())) {
            out.printf("Source      %s (lspci dump: host facts unknown, IOMMU groups predicted)%n", h.source());
        } else {
            hostBlock(h, out);
        }
        out.println();
        List<String[]> checks = new ArrayList<>();
        checks.add(new String[] {"CHECK", "STATUS", "FINDING"});
        for (HostCheck c : r.checks()) {
            checks.add(new String[] {c.id(), c.status().name().toLowerCase(java.util.Locale.ROOT), c.message()});
        }
        table(checks, out);
        for (HostCheck c : r.checks()) {
            if (c.remediation() != null && (c.status() == CheckStatus.FAIL || c.status() == CheckStatus.WARN)) {
                out.printf("  %s: %s%n", c.id(), c.remediation());
            }
        }
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ADDRESS", "IDS", "CLASS", "DRIVER", "GROUP", "VERDICT", "VFIO", "HYPERV", "NAME"});
        for (DeviceReport dr : r.reports()) {
            PciDevice d = dr.device();
            String name = d.deviceName() != null ? d.deviceName() : "";
            if (d.vendorName() != null) {
                name = shortVendor(d.vendorName()) + " " + name;
            }
            String group = d.iommuGroup() != null ? d.iommuGroup().toString()
                    : dr.predictedIommuGroup().isEmpty() ? "-"
                    : dr.predictedIommuGroup().size() > 1 ? "~" + dr.predictedIommuGroup().size() + " fn" : "~alone";
            rows.add(new String[] {d.address(), d.vendorId() + ":" + d.deviceId(),
                nz(d.className() == null ? d.classCode() : d.className()), nz(d.driver()), group,
                verdictLabel(dr.verdict()), verdictLabel(dr.target(Target.VFIO).verdict()),
                verdictLabel(dr.target(Target.HYPERV).verdict()), name.trim()});
        }
        table(rows, out);
        out.printf("(VERDICT: here and now for %s, host checks included; VFIO / HYPERV: the device alone under each "
                + "hypervisor's rules)%n", r.target().id());
        out.println("windows".equals(h.platform()) ? "(GROUP: Windows has no IOMMU groups; ACS up the hierarchy is checked)"
                : "(GROUP: live IOMMU group number; ~ = predicted from topology)");
        out.println();
        int infrastructure = 0;
        for (DeviceReport dr : r.reports()) {
            if (isInfrastructure(dr)) {
                infrastructure++;
                continue;
            }
            List<Reason> notable = new ArrayList<>();
            for (Reason reason : dr.reasons()) {
                if (reason.severity() != Severity.INFO || reason.code().equals(ReasonCode.MMIO_REQUIREMENT)) {
                    notable.add(reason);
                }
            }
            if (notable.isEmpty() && dr.verdict() == Verdict.Assignable) {
                continue;
            }
            // a host check can block what the device alone would allow: say both, so neither answer is lost
            Verdict alone = dr.target(dr.target()).verdict();
            out.printf("%s  %s (%s%s)%n", dr.device().address(), dr.verdict(), dr.target().id(),
                    alone == dr.verdict() ? "" : "; the device alone: " + alone);
            for (Reason reason : notable) {
                String tag = switch (reason.severity()) {
                    case ERROR -> "x";
                    case WARNING -> "!";
                    default -> "i";
                };
                out.printf("  %s %-26s %s%n", tag, reason.code(), reason.message());
                if (reason.code().equals(ReasonCode.HOST_NOT_READY) && reason.remediation() != null) {
                    out.printf("    %-26s %s%n", "remediation:", reason.remediation());
                }
            }
            if (!dr.mustMoveWith().isEmpty()) {
                out.printf("    must move with: %s%n", String.join(" ", dr.mustMoveWith()));
            }
        }
        if (infrastructure > 0) {
            out.printf("(%d bridge(s), port(s) and host bridge(s) not listed: never assignable)%n", infrastructure);
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Integer> e : r.summary().entrySet()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
        }
        for (Finding f : r.findings()) {
            out.printf("finding  %s: %s%n", f.source(), f.message());
        }
        out.printf("%d PCI function(s): %s%n", r.reports().size(), sb);
    }

    /** Bridges, switch ports and host bridges: their only errors (host readiness aside) say what they are. */
    private static boolean isInfrastructure(DeviceReport dr) {
        boolean any = false;
        for (Reason reason : dr.reasons()) {
            if (reason.severity() == Severity.ERROR && !reason.code().equals(ReasonCode.HOST_NOT_READY)) {
                if (!reason.code().equals(ReasonCode.BRIDGE_OR_PORT) && !reason.code().equals(ReasonCode.HOST_BRIDGE)) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private static String verdictLabel(Verdict v) {
        return switch (v) {
            case Assignable -> "yes";
            case AssignableWithWarnings -> "warnings";
            case NotAssignable -> "no";
        };
    }

    static void hostBlock(HostFacts h, PrintWriter out) {
        out.printf("Host        %s (%s %s)%n", nz(h.hostname()), h.platform(), nz(h.kernel()));
        if ("windows".equals(h.platform())) {
            // Windows has no IOMMU units, groups or CPU flag in the host facts: Hyper-V's view is in the checks.
            out.printf("Source      %s%n", nz(h.source()));
            return;
        }
        out.printf("IOMMU       %s unit(s) %s, %d group(s), ACPI tables %s%n", h.iommuUnits().size(),
                h.iommuUnits(), h.iommuGroupCount(), h.acpiTables().isEmpty() ? "none" : h.acpiTables());
        out.printf("Hypervisor  %s%n", h.hypervisor() ? "this host runs under a hypervisor" : "bare metal (no CPU flag)");
        if (h.commandLine() != null) {
            out.printf("Cmdline     %s%n", h.commandLine());
        }
    }

    static void deviceTable(List<PciDevice> devices, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ADDRESS", "IDS", "CLASS", "DRIVER", "GROUP", "LOCATION PATH", "NAME"});
        for (PciDevice d : devices) {
            String name = d.deviceName() != null ? d.deviceName() : "";
            if (d.vendorName() != null) {
                name = shortVendor(d.vendorName()) + " " + name;
            }
            rows.add(new String[] {d.address(), d.vendorId() + ":" + d.deviceId(),
                nz(d.className() == null ? d.classCode() : d.className()), nz(d.driver()),
                d.iommuGroup() == null ? "-" : d.iommuGroup().toString(), d.locationPath(), name.trim()});
        }
        table(rows, out);
        out.printf("%d PCI function(s)%n", devices.size());
    }

    private static String shortVendor(String v) {
        int cut = v.indexOf(" Corporation");
        return cut > 0 ? v.substring(0, cut) : v;
    }

    /** Left-aligned columns; the last column is not padded. */
    static void table(List<String[]> rows, PrintWriter out) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    static void error(EngineException e, boolean json, PrintWriter out, PrintWriter err) {
        if (json) {
            out.println(Json.pretty().toJson(Envelope.error(null, e)));
            out.flush();
        } else {
            err.println("ddabridge: " + e.getMessage() + " [" + e.id().name() + "]");
            err.flush();
        }
    }

    /** Picocli parse errors: the JSON envelope when --json was asked for, else usage on stderr. */
    static int usageError(CommandLine.ParameterException ex, String[] args, PrintWriter out, PrintWriter err) {
        EngineException e = new EngineException(ErrorId.InvalidArgument, ex.getMessage(), String.join(" ", args));
        if (Arrays.asList(args).contains("--json")) {
            error(e, true, out, err);
        } else {
            err.println("ddabridge: " + ex.getMessage() + " [InvalidArgument]");
            ex.getCommandLine().usage(err);
            err.flush();
        }
        return ErrorId.ExitCodes.INVALID_INPUT;
    }

    static Progress stderrProgress(PrintWriter err) {
        return (activity, percent, status) -> {
            err.printf("%s: %s%s%n", activity, percent >= 0 ? percent + "% " : "", status);
            err.flush();
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
