package org.ddabridge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.ddabridge.util.Json;

/**
 * Human rendering of dismount, mount, disable, enable, pool and repair results. The JSON envelope is the
 * contract, so this reads the result as the JSON tree a script would see (the same field names) and never
 * prints JSON itself.
 */
final class AssignOutput {
    private static final Set<String> COMMANDS = Set.of("dismount", "mount", "pool", "repair", "disable", "enable");

    private AssignOutput() {
    }

    static boolean handles(String command) {
        return COMMANDS.contains(command);
    }

    static void print(String command, Object result, PrintWriter out, Term term) {
        JsonObject r = Json.compact().toJsonTree(result).getAsJsonObject();
        if (command.equals("pool")) {
            pool(r, out, term);
        } else if (command.equals("repair")) {
            repair(r, out, term);
        } else if (bool(r, "whatIf")) {
            whatIf(command, r, out, term);
        } else {
            done(command, r, out, term);
        }
    }

    /** What-if: the plan per group (dismount) or per function (the others), the steps, and the real run's fate. */
    static void whatIf(String command, JsonObject r, PrintWriter out, Term term) {
        out.println(term.paint(Term.Style.BOLD, "What if: " + command + " (nothing is changed)"));
        for (JsonElement ge : arr(r, "groups")) {
            JsonObject g = ge.getAsJsonObject();
            out.printf("IOMMU group %s%n", str(g, "group"));
            for (JsonElement m : arr(g, "moves")) {
                JsonObject mv = m.getAsJsonObject();
                out.printf("  move   %s  %s -> %s%n", str(mv, "address"), orNone(str(mv, "driver")), str(mv, "to"));
            }
            for (JsonElement m : arr(g, "stays")) {
                JsonObject st = m.getAsJsonObject();
                out.printf("  stays  %s  %s%n", str(st, "address"), str(st, "why"));
            }
            for (JsonElement m : arr(g, "guards")) {
                JsonObject gd = m.getAsJsonObject();
                String kind = bool(gd, "hard") ? "guard (hard)" : "guard (soft, --force overrides)";
                out.printf("  %s %s: %s%n", term.paint(Term.Style.BAD, kind), str(gd, "code"), str(gd, "message"));
            }
            for (JsonElement m : arr(g, "verdicts")) {
                JsonObject v = m.getAsJsonObject();
                String status = str(v, "status");
                out.printf("  verdict %s  %s%n", str(v, "address"), term.paint(Term.styleOf(status), status));
                for (JsonElement re : arr(v, "reasons")) {
                    JsonObject reason = re.getAsJsonObject();
                    out.printf("          %s: %s%n", str(reason, "code"), str(reason, "message"));
                }
            }
        }
        if (!r.has("groups")) {
            for (JsonElement de : arr(r, "devices")) {
                JsonObject d = de.getAsJsonObject();
                out.printf("  %-8s %s  %s%s%n", str(d, "plan"), str(d, "address"), orNone(str(d, "driver")),
                        d.has("to") ? " -> " + str(d, "to") : "");
                for (JsonElement m : arr(d, "guards")) {
                    JsonObject gd = m.getAsJsonObject();
                    out.printf("           guard %s: %s%n", str(gd, "code"), str(gd, "message"));
                }
            }
        }
        steps(r, out, "Steps the real run would take:");
        if (term.verbose()) {
            out.printf("State directory %s%s%n", str(r, "stateDir"), bool(r, "simulated") ? " (host image: simulated)" : "");
        }
        refusal(r, out, term);
    }

    /** The real run's fate: refused (and why), or that it would go ahead. */
    static void refusal(JsonObject r, PrintWriter out, Term term) {
        String code = str(r, "wouldRefuse");
        if (!code.isEmpty()) {
            String why = str(r, "wouldRefuseMessage");
            out.println(term.paint(Term.Style.BAD, "The real run would be refused [" + code + "]")
                    + (why.isEmpty() ? "" : ": " + why));
        } else {
            out.println(term.paint(Term.Style.GOOD, "The real run would go ahead."));
        }
    }

    /** True when a what-if result says the real run would be refused (the CLI then exits non-zero). */
    static boolean wouldRefuse(Object result) {
        JsonElement e = Json.compact().toJsonTree(result);
        if (!e.isJsonObject()) {
            return false;
        }
        JsonObject r = e.getAsJsonObject();
        if (r.has("assignment") && r.get("assignment").isJsonObject()) {
            r = r.getAsJsonObject("assignment");
        }
        return bool(r, "whatIf") && !str(r, "wouldRefuse").isEmpty();
    }

    private static void steps(JsonObject r, PrintWriter out, String heading) {
        JsonArray steps = arr(r, "steps");
        if (steps.isEmpty()) {
            return;
        }
        out.println(heading);
        int i = 1;
        for (JsonElement se : steps) {
            JsonObject st = se.getAsJsonObject();
            String state = str(st, "state");
            out.printf("  %2d. %s%s%n", i++, str(st, "description").isEmpty()
                    ? str(st, "action") + " " + str(st, "address") + " " + str(st, "value") : str(st, "description"),
                    state.isEmpty() ? "" : "  [" + state + "]");
        }
    }

    /** A finished change: where each function is now, and what to run next. */
    static void done(String command, JsonObject r, PrintWriter out, Term term) {
        String status = str(r, "status");
        out.printf("%s %s: %s%s%n", command, str(r, "operation"), term.paint(Term.styleOf(
                status.equals("done") ? "pass" : "fail"), status), bool(r, "simulated") ? " (host image: simulated)" : "");
        Table t = new Table("ADDRESS", "GROUP", "FROM", "NOW");
        for (JsonElement de : arr(r, "devices")) {
            JsonObject d = de.getAsJsonObject();
            t.row(str(d, "address"), str(d, "group"), orNone(str(d, "from")), orNone(str(d, "driver")));
        }
        if (t.size() > 0) {
            t.print(out, term);
        }
        for (JsonElement ge : arr(r, "groups")) {
            JsonObject g = ge.getAsJsonObject();
            if (g.has("viable")) {
                out.printf("IOMMU group %s: %s%n", str(g, "group"), bool(g, "viable") ? "viable for VFIO" : "NOT viable: "
                        + str(g, "detail"));
            }
        }
        if (r.has("boot") && r.get("boot").isJsonObject()) {
            JsonArray persisted = arr(r.getAsJsonObject("boot"), "persisted");
            out.printf("Next boot: %s%n", persisted.isEmpty() ? "nothing persisted" : "persisted " + join(persisted));
        }
        if (term.verbose()) {
            steps(r, out, "Steps:");
            out.printf("Took %s ms; journal in %s%n", str(r, "durationMs"), str(r, "stateDir"));
        }
        if (!term.quiet() && command.equals("dismount") && status.equals("done")) {
            JsonArray ds = arr(r, "devices");
            if (!ds.isEmpty()) {
                String a = str(ds.get(0).getAsJsonObject(), "address");
                out.printf("Next: ddabridge vm-add --vm VM %s   (VM: a libvirt domain, or qmp:/path/to/qmp.sock)%n", a);
            }
        }
    }

    static void pool(JsonObject r, PrintWriter out, Term term) {
        Table t = new Table("ADDRESS", "GROUP", "DRIVER", "WAS", "SINCE", "PERSISTENT", "STATE").styled(6);
        for (JsonElement o : arr(r, "devices")) {
            JsonObject d = o.getAsJsonObject();
            t.row(str(d, "address"), str(d, "group"), str(d, "driver"), orNone(str(d, "originalDriver")),
                    str(d, "since"), str(d, "persistedBy").isEmpty() ? "no" : str(d, "persistedBy"), str(d, "state"));
        }
        t.print(out, term);
        out.printf("%d held function(s)%s%n", t.size(),
                bool(r, "repairNeeded") ? "; an operation was interrupted: run 'ddabridge repair'" : "");
        JsonArray ps = arr(r, "persisted");
        if (!ps.isEmpty()) {
            out.println("Persisted for the next boot:");
            Table p = new Table("ADDRESS", "DRIVER", "BY", "NOW", "STATE", "FIX").wrap(5);
            for (JsonElement o : ps) {
                JsonObject e = o.getAsJsonObject();
                p.row(str(e, "address"), str(e, "driver"), str(e, "source"), orNone(str(e, "currentDriver")),
                        str(e, "state"), str(e, "fix"));
            }
            p.print(out, term);
        }
    }

    static void repair(JsonObject r, PrintWriter out, Term term) {
        if (r.has("assignment") && r.get("assignment").isJsonObject()) {
            JsonObject vm = r.has("vm") && r.get("vm").isJsonObject() ? r.getAsJsonObject("vm") : null;
            if (vm != null) {
                out.printf("VM %s (%s): %s -> %s%s%n", str(vm, "vm"), str(vm, "kind"), str(vm, "statusBefore"),
                        str(vm, "statusAfter"), arr(vm, "undone").isEmpty() ? "" : ", undone " + join(arr(vm, "undone")));
            }
            r = r.getAsJsonObject("assignment");
        }
        boolean whatIf = bool(r, "whatIf");
        if (whatIf) {
            out.println(term.paint(Term.Style.BOLD, "What if: repair (nothing is changed)"));
            out.println(bool(r, "needed") ? "Repair is needed: an operation was interrupted or the journal is damaged."
                    : "Nothing to repair: the last operation finished.");
        } else {
            out.println(bool(r, "repaired") ? "Repaired." : "Nothing to repair.");
        }
        if (r.has("operation") && r.get("operation").isJsonObject()) {
            JsonObject op = r.getAsJsonObject("operation");
            out.printf("Last operation %s (%s): %s, started %s%n", str(op, "id"), str(op, "kind"), str(op, "status"),
                    str(op, "started"));
        } else if (!str(r, "operation").isEmpty()) {
            out.printf("Operation %s (%s): %s%n", str(r, "operation"), str(r, "kind"), str(r, "status"));
        }
        if (!str(r, "message").isEmpty()) {
            out.println(str(r, "message"));
        }
        for (JsonElement a : arr(r, "actions")) {
            out.println("  undo " + fields(a));
        }
        for (JsonElement d : arr(r, "drift")) {
            out.println("  drift " + fields(d));
        }
        if (whatIf) {
            refusal(r, out, term);
        }
    }

    /** One object as {@code key=value} words (for the few open-ended records: repair actions, drift). */
    static String fields(JsonElement e) {
        if (!e.isJsonObject()) {
            return e.isJsonPrimitive() ? e.getAsString() : e.toString().replace('{', ' ').replace('}', ' ').trim();
        }
        JsonObject o = e.getAsJsonObject();
        if (o.has("description") && o.get("description").isJsonPrimitive()) {
            return o.get("description").getAsString();
        }
        List<String> words = new ArrayList<>();
        for (var en : o.entrySet()) {
            if (!en.getValue().isJsonNull()) {
                words.add(en.getKey() + "=" + (en.getValue().isJsonPrimitive() ? en.getValue().getAsString()
                        : en.getValue().isJsonArray() ? join(en.getValue().getAsJsonArray()) : "(" + fields(en.getValue()) + ")"));
            }
        }
        return String.join(" ", words);
    }

    static String join(JsonArray a) {
        List<String> s = new ArrayList<>();
        for (JsonElement e : a) {
            s.add(e.isJsonPrimitive() ? e.getAsString() : fields(e));
        }
        return String.join(", ", s);
    }

    static JsonArray arr(JsonObject o, String k) {
        return o.has(k) && o.get(k).isJsonArray() ? o.getAsJsonArray(k) : new JsonArray();
    }

    static String str(JsonObject o, String k) {
        if (!o.has(k) || o.get(k).isJsonNull()) {
            return "";
        }
        JsonElement e = o.get(k);
        if (e.isJsonPrimitive()) {
            String s = e.getAsString();
            return s.endsWith(".0") && e.getAsJsonPrimitive().isNumber() ? s.substring(0, s.length() - 2) : s;
        }
        return e.isJsonArray() ? join(e.getAsJsonArray()) : fields(e);
    }

    static boolean bool(JsonObject o, String k) {
        return o.has(k) && o.get(k).isJsonPrimitive() && o.get(k).getAsJsonPrimitive().isBoolean() && o.get(k).getAsBoolean();
    }

    private static String orNone(String s) {
        return s.isEmpty() ? "(no driver)" : s;
    }
}
