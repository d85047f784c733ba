package org.ddabridge.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.ddabridge.check.PciTopology.Node;
import org.ddabridge.driver.linux.AcpiDmar;
import org.ddabridge.model.HostUse;
import org.ddabridge.model.IommuFacts;
import org.ddabridge.model.PciDevice;
import org.ddabridge.pci.DecodedFunction;

/**
 * Runs every device rule on every function and the host checks on the host: the survey's verdicts.
 * Pure: all input comes in as data, so the same code judges a live host, a host image and an lspci dump.
 */
public final class Checker {
    /** The rules in Microsoft's survey order, then the Linux-side ones. */
    static final List<DeviceRule> RULES = List.of(new ReservedMemoryRule(), new AcsPathRule(), new DeviceTypeRule(),
            new InterruptRule(), new MmioRule(), new IommuGroupRule(), new ResetRule(), new HostUseRule());

    private Checker() {
    }

    /** What the checker is given. {@code parents}: address -> upstream bridge (absent = root bus). */
    public record Input(List<PciDevice> devices, Map<String, byte[]> configs, Map<String, String> parents,
            IommuFacts iommu, HostUse hostUse, AcpiDmar.Table dmar) {
    }

    /** The checker's result. */
    public record Result(List<HostCheck> checks, List<DeviceReport> devices) {
        /** Count per verdict, every verdict listed. */
        public Map<String, Integer> summary() {
            Map<String, Integer> m = new LinkedHashMap<>();
            for (Verdict v : Verdict.values()) {
                m.put(v.name(), 0);
            }
            for (DeviceReport r : devices) {
                m.merge(r.verdict().name(), 1, Integer::sum);
            }
            return m;
        }
    }

    public static Result run(Input in) {
        Map<String, DecodedFunction> decoded = new HashMap<>();
        for (PciDevice d : in.devices()) {
            decoded.put(d.address(), Decoding.decode(d.address(), in.configs().get(d.address())));
        }
        PciTopology topo = PciTopology.of(in.devices(), decoded, in.parents());
        boolean assumeEnables = !in.iommu().iommuActive();
        Map<String, List<String>> predicted = GroupPredictor.predict(topo, assumeEnables);
        Map<String, List<String>> live = liveGroups(in.devices());
        Map<String, String> rmrr = reservedMemory(topo, in.dmar());
        Isolation iso = new Isolation(assumeEnables);
        List<DeviceReport> reports = new ArrayList<>();
        for (Node n : topo.nodes()) {
            DeviceContext ctx = new DeviceContext(n, topo, iso, predicted, live, in.hostUse(), rmrr, in.iommu());
            List<Reason> reasons = new ArrayList<>();
            for (DeviceRule rule : RULES) {
                reasons.addAll(rule.check(ctx));
            }
            MmioRequirement mmio = n.device().bars() == null ? null : MmioRequirement.of(n.device().bars());
            reports.add(new DeviceReport(n.device(), Verdict.of(reasons), List.copyOf(reasons),
                    predicted.getOrDefault(n.address(), List.of(n.address())), IommuGroupRule.mustMoveWith(ctx), mmio));
        }
        return new Result(HostChecks.run(in.iommu()), List.copyOf(reports));
    }

    /** Live groups from {@link PciDevice#iommuGroup()}: address -> sorted members. */
    static Map<String, List<String>> liveGroups(List<PciDevice> devices) {
        Map<Integer, TreeSet<String>> byGroup = new TreeMap<>();
        for (PciDevice d : devices) {
            if (d.iommuGroup() != null) {
                byGroup.computeIfAbsent(d.iommuGroup(), k -> new TreeSet<>()).add(d.address());
            }
        }
        Map<String, List<String>> out = new HashMap<>();
        for (TreeSet<String> members : byGroup.values()) {
            List<String> l = List.copyOf(members);
            for (String a : members) {
                out.put(a, l);
            }
        }
        return out;
    }

    /**
     * Functions named by RMRR device scopes: the path is walked from the start bus through bridges'
     * secondary bus numbers; a sub-hierarchy scope covers everything below the bridge it names.
     */
    static Map<String, String> reservedMemory(PciTopology topo, AcpiDmar.Table dmar) {
        Map<String, String> out = new TreeMap<>();
        if (dmar == null) {
            return out;
        }
        for (AcpiDmar.Rmrr r : dmar.rmrrs()) {
            String region = String.format("RMRR 0x%x-0x%x", r.base(), r.limit());
            for (AcpiDmar.DeviceScope s : r.scopes()) {
                Node n = resolve(topo, r.segment(), s);
                if (n == null) {
                    continue;
                }
                String desc = region + " scope " + s.describe();
                out.putIfAbsent(n.address(), desc);
                if (s.type() == AcpiDmar.DeviceScope.PCI_SUB_HIERARCHY) {
                    for (Node below : topo.below(n)) {
                        out.putIfAbsent(below.address(), desc);
                    }
                }
            }
        }
        return out;
    }

    static Node resolve(PciTopology topo, int segment, AcpiDmar.DeviceScope s) {
        int bus = s.startBus();
        Node cur = null;
        for (int[] hop : s.path()) {
            if (cur != null) {
                if (cur.decoded().bridge() == null) {
                    return null;
                }
                bus = cur.decoded().bridge().secondaryBus();
            }
            String addr = String.format("%04x:%02x:%02x.%x", segment, bus, hop[0], hop[1]);
            cur = topo.node(addr);
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }
}
