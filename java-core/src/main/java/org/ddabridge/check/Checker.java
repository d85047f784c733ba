package org.ddabridge.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.ddabridge.model.DmarTable;
import org.ddabridge.check.PciTopology.Node;

import org.ddabridge.model.HostUse;
import org.ddabridge.model.IommuFacts;
import org.ddabridge.model.PciDevice;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.survey.WindowsFacts;
import org.ddabridge.util.IoPool;
/**
 * Runs every device rule on every function and the host checks on the host: the survey's verdicts.
 * Pure: all input comes in as data, so the same code judges a live Linux host, a host image, an lspci dump
 * and a Windows host. Each platform turns its own sources into {@link DeviceFacts} (Linux: {@link LinuxFacts},
 * Windows: {@code check.windows.WindowsFacts}); the rules read only those.
 */
public final class Checker {
    /** The rules in Microsoft's survey order, then the Linux-side ones. */
    static final List<DeviceRule> RULES = List.of(new ReservedMemoryRule(), new AcsPathRule(), new DeviceTypeRule(),
            new DisabledRule(), new InterruptRule(), new MmioRule(), new IommuGroupRule(), new ResetRule(),
            new HostUseRule());

    /** How far the rules run on one device. */
    public enum Order {
        /** Every rule, every reason (the Linux survey: groups, reset and host use matter after an error too). */
        ALL_RULES,
        /**
         * Microsoft's SurveyDDA.ps1: the same rules in the same order, stopping after the first error (the
         * Windows survey reports what the script prints).
         */
        STOP_AT_FIRST_ERROR
    }

    private Checker() {
    }

    /** What the checker is given on Linux. {@code parents}: address -> upstream bridge (absent = root bus). */
    public record Input(List<PciDevice> devices, Map<String, byte[]> configs, Map<String, String> parents,
            IommuFacts iommu, HostUse hostUse, DmarTable dmar) {
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

    /** Linux (live host, host image, lspci dump): facts from decoded config space and topology, every rule. */
    public static Result run(Input in) {
        // Decoding and judging are per-function and independent: spread them over the cores.
        List<DecodedFunction> decodedList =
                IoPool.map(in.devices(), d -> Decoding.decode(d.address(), in.configs().get(d.address())));
        Map<String, DecodedFunction> decoded = new HashMap<>();
        for (int i = 0; i < decodedList.size(); i++) {
            decoded.put(in.devices().get(i).address(), decodedList.get(i));
        }
        PciTopology topo = PciTopology.of(in.devices(), decoded, in.parents());
        boolean assumeEnables = !in.iommu().iommuActive();
        Map<String, List<String>> predicted = GroupPredictor.predict(topo, assumeEnables);
        LinuxFacts facts = new LinuxFacts(topo, new Isolation(assumeEnables), predicted, liveGroups(in.devices()),
                reservedMemory(topo, in.dmar()));
        return judge(facts.all(), in.hostUse(), HostChecks.run(in.iommu()), Order.ALL_RULES);
    }

    /**
     * The one rule set over any platform's facts.
     *
     * @param facts   every function on the host, in address order (group mates are looked up here)
     * @param hostUse what the host depends on
     * @param checks  the platform's host checks, passed through
     * @param order   how far the rules run per device
     */
    public static Result judge(List<DeviceFacts> facts, HostUse hostUse, List<HostCheck> checks, Order order) {
        Map<String, DeviceFacts> all = new LinkedHashMap<>();
        for (DeviceFacts f : facts) {
            all.put(f.address(), f);
        }
        List<DeviceReport> reports = IoPool.map(facts, f -> judgeOne(f, all, hostUse, order));
        return new Result(List.copyOf(checks), List.copyOf(reports));
    }

    private static DeviceReport judgeOne(DeviceFacts f, Map<String, DeviceFacts> all, HostUse hostUse, Order order) {
        DeviceContext ctx = new DeviceContext(f, all, hostUse);
        List<Reason> reasons = new ArrayList<>();
        for (DeviceRule rule : RULES) {
            List<Reason> got = rule.check(ctx);
            reasons.addAll(got);
            if (order == Order.STOP_AT_FIRST_ERROR && got.stream().anyMatch(r -> r.severity() == Severity.ERROR)) {
                break;
            }
        }
        MmioRequirement mmio = f.memory() == null ? null : MmioRequirement.of(f.memory().bars());
        List<String> predicted = f.group() == null ? List.of() : f.group().predicted();
        return new DeviceReport(f.device(), Verdict.of(reasons), List.copyOf(reasons), predicted,
                IommuGroupRule.mustMoveWith(ctx), mmio);
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
    static Map<String, String> reservedMemory(PciTopology topo, DmarTable dmar) {
        Map<String, String> out = new TreeMap<>();
        if (dmar == null) {
            return out;
        }
        for (DmarTable.Rmrr r : dmar.rmrrs()) {
            String region = String.format("RMRR 0x%x-0x%x", r.base(), r.limit());
            for (DmarTable.DeviceScope s : r.scopes()) {
                Node n = resolve(topo, r.segment(), s);
                if (n == null) {
                    continue;
                }
                String desc = region + " scope " + s.describe();
                out.putIfAbsent(n.address(), desc);
                if (s.type() == DmarTable.DeviceScope.PCI_SUB_HIERARCHY) {
                    for (Node below : topo.below(n)) {
                        out.putIfAbsent(below.address(), desc);
                    }
                }
            }
        }
        return out;
    }

    static Node resolve(PciTopology topo, int segment, DmarTable.DeviceScope s) {
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
