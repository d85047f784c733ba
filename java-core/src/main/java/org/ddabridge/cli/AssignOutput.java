package org.ddabridge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ddabridge.util.Json;
/** Human rendering of dismount, mount, pool and repair results (the JSON envelope is the contract). */
final class AssignOutput {
    private static final Set<String> COMMANDS = Set.of("dismount", "mount", "pool", "repair", "disable", "enable");

    private AssignOutput() {
    }

    static boolean handles(String command) {
        return COMMANDS.contains(command);
    }

    static void print(String command, Map<?, ?> r, PrintWriter out) {
        if (command.equals("pool")) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ADDRESS", "GROUP", "DRIVER", "WAS", "SINCE", "PERSISTENT", "STATE"});
            for (Object o : (List<?>) r.get("devices")) {
                Map<?, ?> d = (Map<?, ?>) o;
                rows.add(new String[] {s(d.get("address")), s(d.get("group")), s(d.get("driver")),
                    s(d.get("originalDriver")), s(d.get("since")),
                    d.get("persistedBy") == null ? "no" : s(d.get("persistedBy")), s(d.get("state"))});
            }
            Output.table(rows, out);
            out.printf("%d held function(s)%s%n", rows.size() - 1,
                    Boolean.TRUE.equals(r.get("repairNeeded")) ? "; an operation was interrupted: run 'repair'" : "");
            if (r.get("persisted") instanceof List<?> ps && !ps.isEmpty()) {
                out.println("Persisted for the next boot:");
                List<String[]> prow = new ArrayList<>();
                prow.add(new String[] {"ADDRESS", "DRIVER", "BY", "NOW", "STATE", "FIX"});
                for (Object o : ps) {
                    Map<?, ?> p = (Map<?, ?>) o;
                    prow.add(new String[] {s(p.get("address")), s(p.get("driver")), s(p.get("source")),
                        s(p.get("currentDriver")), s(p.get("state")), s(p.get("fix"))});
                }
                Output.table(prow, out);
            }
            return;
        }
        if (Boolean.TRUE.equals(r.get("whatIf"))) {
            out.println("What if (nothing changed):");
            Object groups = r.get("groups");
            if (groups instanceof List<?> gs) {
                for (Object o : gs) {
                    Map<?, ?> g = (Map<?, ?>) o;
                    out.printf("  IOMMU group %s%n", s(g.get("group")));
                    for (Object m : (List<?>) g.get("moves")) {
                        Map<?, ?> mv = (Map<?, ?>) m;
                        out.printf("    move  %s  %s -> %s%n", s(mv.get("address")), s(mv.get("driver")), s(mv.get("to")));
                    }
                    for (Object m : (List<?>) g.get("stays")) {
                        Map<?, ?> st = (Map<?, ?>) m;
                        out.printf("    stay  %s  %s%n", s(st.get("address")), s(st.get("why")));
                    }
                    for (Object m : (List<?>) g.get("guards")) {
                        out.printf("    guard %s%n", Json.compact().toJson(m));
                    }
                    for (Object m : (List<?>) g.get("verdicts")) {
                        out.printf("    check %s%n", Json.compact().toJson(m));
                    }
                }
                if (r.get("wouldRefuse") != null) {
                    out.printf("  would be refused: %s%n", r.get("wouldRefuse"));
                }
            } else if (r.get("devices") instanceof List<?> ds) {
                for (Object o : ds) {
                    out.printf("  %s%n", Json.compact().toJson(o));
                }
            }
        }
        if (r.get("steps") instanceof List<?> steps) {
            out.println("Steps:");
            for (Object o : steps) {
                String j = Json.compact().toJson(o);
                Map<?, ?> st = Json.compact().fromJson(j, Map.class);
                out.printf("  %-8s %s %s %s%n", st.get("state") == null ? "planned" : st.get("state"),
                        s(st.get("action")), s(st.get("address")), s(st.get("value")));
            }
        }
        if (r.get("actions") instanceof List<?> acts) {
            out.println("Repair actions:");
            for (Object o : acts) {
                out.printf("  %s%n", Json.compact().toJson(o));
            }
        }
        for (String k : List.of("operation", "status", "devices", "groups", "message", "drift", "durationMs")) {
            if (r.get(k) != null && !(Boolean.TRUE.equals(r.get("whatIf")) && k.equals("devices"))) {
                out.printf("%s: %s%n", k, Json.compact().toJson(r.get(k)));
            }
        }
    }

    private static String s(Object o) {
        return o == null ? "-" : o instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : o.toString();
    }
}
