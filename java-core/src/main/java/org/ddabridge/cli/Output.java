package org.ddabridge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.ddabridge.engine.EngineException;
import org.ddabridge.engine.Envelope;
import org.ddabridge.engine.ErrorId;
import org.ddabridge.engine.Progress;
import org.ddabridge.model.HostFacts;
import org.ddabridge.model.PciDevice;
import org.ddabridge.util.Json;

import picocli.CommandLine;

/** Human-readable rendering of results and errors (JSON goes through {@link Envelope}). */
final class Output {
    private Output() {
    }

    static void human(String command, Object result, PrintWriter out) {
        if (result instanceof Map<?, ?> map && AssignOutput.handles(command)) {
            AssignOutput.print(command, map, out);
        } else if (result instanceof List<?> list && (list.isEmpty() || list.get(0) instanceof PciDevice)) {
            @SuppressWarnings("unchecked")
            List<PciDevice> devices = (List<PciDevice>) list;
            deviceTable(devices, out);
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

    static void hostBlock(HostFacts h, PrintWriter out) {
        out.printf("Host        %s (%s %s)%n", nz(h.hostname()), h.platform(), nz(h.kernel()));
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
