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

    static void human(String command, Object result, PrintWriter out, Term term) {
        if (AssignOutput.handles(command)) {
            AssignOutput.print(command, result, out, term);
        } else if (MiscOutput.handles(command)) {
            MiscOutput.print(command, result, out, term);
        } else if (ViewOutput.handles(result)) {
            ViewOutput.print(result, out, term);
        } else if (result instanceof List<?> list && (list.isEmpty() || list.get(0) instanceof PciDevice)) {
            @SuppressWarnings("unchecked")
            List<PciDevice> devices = (List<PciDevice>) list;
            deviceTable(devices, out, term);
        } else if (result instanceof SurveyReport report) {
            survey(report, out, term);
        } else {
            // No command should land here; if one does, its fields as words, never a JSON document.
            out.println(AssignOutput.fields(Json.compact().toJsonTree(result)));
        }
    }

    /** Host block, host checks, a device table with a VERDICT column, then each device's reasons and next step. */
    static void survey(SurveyReport r, PrintWriter out, Term term) {
        HostFacts h = r.hostFacts();
        if ("dump".equals(h.platform())) {
            out.printf("Source      %s (lspci dump: host facts unknown, IOMMU groups predicted)%n", h.source());
        } else {
            hostBlock(h, out, term);
        }
        out.println();
        Table checks = new Table("CHECK", "STATUS", "FINDING").styled(1).wrap(2);
        for (HostCheck c : r.checks()) {
            checks.row(c.id(), c.status().name().toLowerCase(java.util.Locale.ROOT), c.message());
        }
        checks.print(out, term);
        for (HostCheck c : r.checks()) {
            if (c.remediation() != null && (c.status() != CheckStatus.PASS || term.verbose())) {
                advice(c.id() + ": ", c.remediation(), c.nextCommand(), out, term);
            }
        }
        out.println();
        Table rows = new Table("ADDRESS", "IDS", "CLASS", "DRIVER", "GROUP", "VERDICT", "VFIO", "HYPERV", "NAME")
                .truncate(2, 8).styled(5, 6, 7).optional(1, 7, 6, 3);
        for (DeviceReport dr : r.reports()) {
            PciDevice d = dr.device();
            String group = d.iommuGroup() != null ? d.iommuGroup().toString()
                    : dr.predictedIommuGroup().isEmpty() ? "-"
                    : dr.predictedIommuGroup().size() > 1 ? "~" + dr.predictedIommuGroup().size() + " fn" : "~alone";
            rows.row(d.address(), d.vendorId() + ":" + d.deviceId(),
                nz(d.className() == null ? d.classCode() : d.className()), nz(d.driver()), group,
                verdictLabel(dr.verdict()), verdictLabel(dr.target(Target.VFIO).verdict()),
                verdictLabel(dr.target(Target.HYPERV).verdict()), name(d));
        }
        rows.print(out, term);
        if (!term.quiet()) {
            note("(VERDICT: here and now for " + r.target().id() + ", host checks included; VFIO / HYPERV: the device "
                    + "alone under each hypervisor's rules)", out, term);
            note("windows".equals(h.platform()) ? "(GROUP: Windows has no IOMMU groups; ACS up the hierarchy is checked)"
                    : "(GROUP: live IOMMU group number; ~ = predicted from topology)", out, term);
        }
        out.println();
        int infrastructure = 0;
        for (DeviceReport dr : r.reports()) {
            if (isInfrastructure(dr) && !term.verbose()) {
                infrastructure++;
                continue;
            }
            deviceReasons(dr, out, term);
        }
        if (infrastructure > 0 && !term.quiet()) {
            note("(" + infrastructure + " bridge(s), port(s) and host bridge(s) not listed: never assignable; "
                    + "--verbose lists them)", out, term);
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

    /**
     * One device's notable reasons (all of them with --verbose, with evidence), each with its remediation and
     * next command, and the device's next command (the first a reason carries) when it can be assigned.
     */
    private static void deviceReasons(DeviceReport dr, PrintWriter out, Term term) {
        List<Reason> notable = new ArrayList<>();
        String next = null;
        for (Reason reason : dr.reasons()) {
            if (term.verbose() || reason.severity() != Severity.INFO || reason.code().equals(ReasonCode.MMIO_REQUIREMENT)) {
                notable.add(reason);
            }
            if (next == null && reason.nextCommand() != null) {
                next = reason.nextCommand();
            }
        }
        boolean assignable = dr.verdict() != Verdict.NotAssignable;
        if (notable.isEmpty() && (next == null || term.quiet())) {
            return;
        }
        String verdict = dr.verdict().name();
        // a host check can block what the device alone would allow: say both, so neither answer is lost
        Verdict alone = dr.target(dr.target()).verdict();
        out.printf("%s  %s (%s%s)%n", dr.device().address(), term.paint(Term.styleOf(verdict), verdict), dr.target().id(),
                alone == dr.verdict() ? "" : "; the device alone: " + alone);
        int width = term.width() > 0 ? term.width() - 31 : 0;
        for (Reason reason : notable) {
            String tag = switch (reason.severity()) {
                case ERROR -> term.paint(Term.Style.BAD, "x");
                case WARNING -> term.paint(Term.Style.WARN, "!");
                default -> "i";
            };
            List<String> lines = Table.wrapText(reason.message(), width);
            out.printf("  %s %-26s %s%n", tag, reason.code(), lines.get(0));
            for (String l : lines.subList(1, lines.size())) {
                out.printf("    %-26s %s%n", "", l);
            }
            if (term.verbose()) {
                for (var ev : reason.evidence()) {
                    out.printf("    %-26s %s%n", "", term.paint(Term.Style.DIM, "evidence: " + ev.source() + ": "
                            + ev.value()));
                }
            }
            if (reason.remediation() != null && reason.severity() != Severity.INFO) {
                // An error's command fixes the host or the device; an assignable device's is the "next:" line.
                advice("    ", reason.remediation(), reason.severity() == Severity.ERROR ? reason.nextCommand() : null,
                        out, term);
            }
        }
        if (!dr.mustMoveWith().isEmpty()) {
            out.printf("    must move with: %s%n", String.join(" ", dr.mustMoveWith()));
        }
        if (next != null && assignable && !term.quiet()) {
            out.printf("  next: %s%n", term.paint(Term.Style.BOLD, next));
        }
    }

    /** A remediation ("fix: …", wrapped) and its command ("run: …", never wrapped: it is copied whole). */
    private static void advice(String indent, String remediation, String command, PrintWriter out, Term term) {
        int width = term.width() > 0 ? term.width() - indent.length() - 5 : 0;
        List<String> lines = Table.wrapText(remediation, width);
        out.printf("%sfix: %s%n", indent, lines.get(0));
        String pad = " ".repeat(indent.length() + 5);
        for (String l : lines.subList(1, lines.size())) {
            out.printf("%s%s%n", pad, l);
        }
        if (command != null) {
            out.printf("%srun: %s%n", " ".repeat(indent.length()), term.paint(Term.Style.BOLD, command));
        }
    }

    private static void note(String text, PrintWriter out, Term term) {
        for (String l : Table.wrapText(text, term.width())) {
            out.println(term.paint(Term.Style.DIM, l));
        }
    }

    private static String name(PciDevice d) {
        String name = d.deviceName() != null ? d.deviceName() : "";
        if (d.vendorName() != null) {
            name = shortVendor(d.vendorName()) + " " + name;
        }
        return name.trim();
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
            case AssignableWithWarnings -> "warn";
            case NotAssignable -> "no";
        };
    }

    static void hostBlock(HostFacts h, PrintWriter out, Term term) {
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
            List<String> lines = Table.wrapText(h.commandLine(), term.width() > 0 ? term.width() - 12 : 0);
            out.printf("Cmdline     %s%n", lines.get(0));
            lines.subList(1, lines.size()).forEach(l -> out.printf("            %s%n", l));
        }
    }

    static void deviceTable(List<PciDevice> devices, PrintWriter out, Term term) {
        Table t = new Table("ADDRESS", "IDS", "CLASS", "DRIVER", "GROUP", "LOCATION PATH", "NAME").truncate(2, 6)
                .optional(1, 5, 3);
        for (PciDevice d : devices) {
            t.row(d.address(), d.vendorId() + ":" + d.deviceId(),
                nz(d.className() == null ? d.classCode() : d.className()), nz(d.driver()),
                d.iommuGroup() == null ? "-" : d.iommuGroup().toString(), d.locationPath(), name(d));
        }
        t.print(out, term);
        out.printf("%d PCI function(s)%n", devices.size());
    }

    private static String shortVendor(String v) {
        int cut = v.indexOf(" Corporation");
        return cut > 0 ? v.substring(0, cut) : v;
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
