package org.ddabridge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.ddabridge.util.Json;
import org.ddabridge.vm.VmService;

/** Human rendering of the small results: version, capture, report, and the VM commands. */
final class MiscOutput {
    private static final Set<String> COMMANDS = Set.of("version", "capture", "report", "vm-add", "vm-remove", "vm-list");

    private MiscOutput() {
    }

    static boolean handles(String command) {
        return COMMANDS.contains(command);
    }

    static void print(String command, Object result, PrintWriter out, Term term) {
        switch (command) {
            case "version" -> {
                JsonObject v = tree(result);
                out.printf("ddabridge %s (JSON schema %s; Java %s on %s)%n", AssignOutput.str(v, "engine"),
                        AssignOutput.str(v, "schemaVersion"), AssignOutput.str(v, "java"), AssignOutput.str(v, "os"));
            }
            case "capture" -> {
                JsonObject c = tree(result);
                out.printf("Wrote %s: %s PCI function(s), %s entries, %s bytes%n", AssignOutput.str(c, "output"),
                        AssignOutput.str(c, "functions"), AssignOutput.str(c, "entries"), AssignOutput.str(c, "bytes"));
                if (!term.quiet()) {
                    out.printf("Read it anywhere with: ddabridge survey --root %s%n", AssignOutput.str(c, "output"));
                }
            }
            case "report" -> report(tree(result), out, term);
            case "vm-add" -> added((VmService.Added) result, out, term);
            case "vm-remove" -> removed((VmService.Removed) result, out);
            default -> vms(result, out, term);
        }
    }

    private static JsonObject tree(Object result) {
        JsonElement e = Json.compact().toJsonTree(result);
        return e.isJsonObject() ? e.getAsJsonObject() : new JsonObject();
    }

    private static void report(JsonObject r, PrintWriter out, Term term) {
        out.printf("Wrote %s (%s bytes): %d host(s)%n", AssignOutput.str(r, "output"), AssignOutput.str(r, "bytes"),
                AssignOutput.arr(r, "hosts").size());
        Table t = new Table("HOST", "READINESS", "FUNCTIONS", "SUMMARY").styled(1).wrap(3);
        for (JsonElement h : AssignOutput.arr(r, "hosts")) {
            JsonObject m = h.getAsJsonObject();
            t.row(AssignOutput.str(m, "name"), AssignOutput.str(m, "readiness"), AssignOutput.str(m, "functions"),
                    summary(m.get("summary")));
        }
        if (t.size() > 0) {
            t.print(out, term);
        }
    }

    private static String summary(JsonElement s) {
        if (s == null || !s.isJsonObject()) {
            return s == null || s.isJsonNull() ? "" : s.getAsString();
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, JsonElement> e : s.getAsJsonObject().entrySet()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getValue().getAsString()).append(' ').append(e.getKey());
        }
        return sb.toString();
    }

    private static void added(VmService.Added a, PrintWriter out, Term term) {
        out.printf("%s IOMMU group %d to VM %s: %s%n", a.whatIf() ? "What if: would add" : "Added", a.group(), a.vm(),
                String.join(" ", a.functions()));
        if (a.whatIf() || term.verbose()) {
            for (String s : a.steps()) {
                out.println("  " + s);
            }
        }
        if (a.mmio64Kib() > 0) {
            out.printf("64-bit MMIO of the group: %d KiB%n", a.mmio64Kib());
        }
        if (!a.whatIf() && !term.quiet()) {
            out.printf("Take it back: ddabridge vm-remove --vm %s %s%n", a.vm(), a.functions().get(0));
        }
    }

    private static void removed(VmService.Removed r, PrintWriter out) {
        out.printf("%s IOMMU group %d from VM %s: %s%n", r.whatIf() ? "What if: would remove" : "Removed", r.group(),
                r.vm(), r.removed().isEmpty() ? "(nothing)" : String.join(" ", r.removed()));
        if (!r.pending().isEmpty()) {
            out.printf("Still in the guest (it did not release them in time): %s%n", String.join(" ", r.pending()));
        }
        if (!r.whatIf() && !r.removed().isEmpty()) {
            out.printf("Give it back to the host: ddabridge mount %s%n", r.removed().get(0));
        }
    }

    private static void vms(Object result, PrintWriter out, Term term) {
        List<?> list = result instanceof List<?> l ? l : List.of(result);
        Table t = new Table("VM", "KIND", "STATE", "PID", "VFIO GROUPS", "HOST FUNCTIONS").wrap(5);
        for (Object o : list) {
            if (o instanceof VmService.VmView v) {
                t.row(v.vm(), v.kind(), v.state(), v.pid() == null ? "-" : v.pid().toString(),
                        v.vfioGroups().isEmpty() ? "-" : v.vfioGroups().toString().replaceAll("[\\[\\]]", ""),
                        v.devices().isEmpty() ? "-" : String.join(" ", v.devices()));
            }
        }
        t.print(out, term);
        out.printf("%d VM(s)%n", t.size());
    }
}
