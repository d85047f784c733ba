package org.ddabridge.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PCIe tree of one host in drawing order: root complexes (one per PCI domain and root bus), then each
 * function below its upstream bridge, depth first, siblings by address. Depth-first order keeps the members of
 * an IOMMU group next to each other (the kernel groups siblings and whole subtrees), so a group is drawn as one
 * enclosure around consecutive rows; a group that is not consecutive gets one enclosure per run.
 */
public final class Topology {
    /**
     * One row of the drawing.
     *
     * @param function    the function, or null for a root complex row
     * @param label       the root complex's name ({@code 0000:00}), or null
     * @param depth       0 for root complexes
     * @param parentRow   the row of the upstream node, or -1
     * @param role        {@code root-complex}, {@code host-bridge}, {@code root-port}, {@code switch-upstream},
     *                    {@code switch-downstream}, {@code bridge} or {@code endpoint}
     */
    public record Row(FunctionView function, String label, int depth, int parentRow, String role) {
    }

    /** A run of consecutive rows in one IOMMU group. */
    public record GroupRun(String groupKey, String label, int firstRow, int lastRow) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<GroupRun> groups = new ArrayList<>();

    private Topology() {
    }

    public static Topology of(List<FunctionView> functions) {
        Topology t = new Topology();
        Map<String, FunctionView> byAddress = new HashMap<>();
        for (FunctionView f : functions) {
            byAddress.put(f.address(), f);
        }
        Map<String, List<FunctionView>> children = new HashMap<>();
        Map<String, List<FunctionView>> rootComplexes = new LinkedHashMap<>();
        List<FunctionView> sorted = new ArrayList<>(functions);
        sorted.sort(Comparator.comparing(FunctionView::address));
        for (FunctionView f : sorted) {
            if (f.parent() != null && byAddress.containsKey(f.parent())) {
                children.computeIfAbsent(f.parent(), k -> new ArrayList<>()).add(f);
            } else {
                rootComplexes.computeIfAbsent(rootComplex(f), k -> new ArrayList<>()).add(f);
            }
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, List<FunctionView>> rc : rootComplexes.entrySet()) {
            t.rows.add(new Row(null, rc.getKey(), 0, -1, "root-complex"));
            int rcRow = t.rows.size() - 1;
            for (FunctionView f : rc.getValue()) {
                t.add(f, 1, rcRow, children, byAddress, seen);
            }
        }
        t.groupRuns();
        return t;
    }

    /** The PCI domain and root bus of a function without an upstream bridge ({@code 0000:00}). */
    private static String rootComplex(FunctionView f) {
        int dot = f.address().lastIndexOf(':');
        return dot > 0 ? f.address().substring(0, dot) : f.address();
    }

    private void add(FunctionView f, int depth, int parentRow, Map<String, List<FunctionView>> children,
            Map<String, FunctionView> byAddress, Set<String> seen) {
        if (!seen.add(f.address())) {
            return; // a parent loop in a corrupt survey must not recurse forever
        }
        rows.add(new Row(f, null, depth, parentRow, role(f, byAddress, children)));
        int me = rows.size() - 1;
        for (FunctionView c : children.getOrDefault(f.address(), List.of())) {
            add(c, depth + 1, me, children, byAddress, seen);
        }
    }

    /** The PCIe port type from the survey's evidence decides; the tree's shape is the fallback. */
    static String role(FunctionView f, Map<String, FunctionView> byAddress, Map<String, List<FunctionView>> children) {
        if (f.isHostBridge()) {
            return "host-bridge";
        }
        if (!f.isBridge()) {
            return "endpoint";
        }
        if (f.portType() != null) {
            switch (f.portType()) {
                case "RootPort":
                    return "root-port";
                case "UpstreamPort":
                    return "switch-upstream";
                case "DownstreamPort":
                    return "switch-downstream";
                default:
                    return "bridge";
            }
        }
        List<FunctionView> below = children.getOrDefault(f.address(), List.of());
        if (!below.isEmpty() && below.stream().allMatch(FunctionView::isBridge)) {
            return "switch-upstream";
        }
        FunctionView up = f.parent() == null ? null : byAddress.get(f.parent());
        return up == null ? "root-port" : "bridge";
    }

    private void groupRuns() {
        String key = null;
        int first = -1;
        for (int i = 0; i <= rows.size(); i++) {
            FunctionView f = i < rows.size() ? rows.get(i).function() : null;
            String k = f == null ? null : f.groupKey();
            if (k != null && k.equals(key)) {
                continue;
            }
            if (key != null) {
                FunctionView head = rows.get(first).function();
                String label = head.iommuGroup() != null ? "IOMMU group " + head.iommuGroup()
                        : "predicted group (" + head.predictedGroup().size() + ")";
                groups.add(new GroupRun(key, label, first, i - 1));
            }
            key = k;
            first = i;
        }
    }

    public List<Row> rows() {
        return rows;
    }

    public List<GroupRun> groups() {
        return groups;
    }
}
