package org.ddabridge.check;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.ddabridge.model.DmarTable;
import org.ddabridge.model.IvrsTable;

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
            new SriovRule(), new DisabledRule(), new InterruptRule(), new MmioRule(), new IommuGroupRule(), new ResetRule(),
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

    /**
     * What the checker is given on Linux. {@code parents}: address -> upstream bridge (absent = root bus);
     * {@code dmar}, {@code ivrs}: the ACPI tables, null when there are none.
     */
    public record Input(List<PciDevice> devices, Map<String, byte[]> configs, Map<String, String> parents,
            IommuFacts iommu, HostUse hostUse, DmarTable dmar, IvrsTable ivrs) {
        /** A host without an IVRS table. */
        public Input(List<PciDevice> devices, Map<String, byte[]> configs, Map<String, String> parents,
                IommuFacts iommu, HostUse hostUse, DmarTable dmar) {
            this(devices, configs, parents, iommu, hostUse, dmar, null);
        }
    }

    /** The checker's result; {@code target} is the headline's. */
    public record Result(List<HostCheck> checks, List<DeviceReport> devices, Target target) {
        /** Count per headline verdict, every verdict listed. */
        public Map<String, Integer> summary() {
            Map<String, Integer> m = emptySummary();
            for (DeviceReport r : devices) {
                m.merge(r.verdict().name(), 1, Integer::sum);
            }
            return m;
        }

        /** A summary of no devices: every verdict, in order, at 0 (to count into, {@code merge(name, 1, sum)}). */
        public static Map<String, Integer> emptySummary() {
            Map<String, Integer> m = new LinkedHashMap<>();
            for (Verdict v : Verdict.values()) {
                m.put(v.name(), 0);
            }
            return m;
        }
    }

    /** {@link #run(Input, Target)} for VFIO, the Linux hypervisor. */
    public static Result run(Input in) {
        return run(in, Target.VFIO, "linux");
    }

    /**
     * Linux (live host, host image, lspci dump): facts from decoded config space and topology, every rule.
     *
     * @param target   the headline's target
     * @param platform {@code linux} or {@code dump} (whether the headline's target runs here)
     */
    public static Result run(Input in, Target target, String platform) {
        // Decoding and judging are per-function and independent: spread them over the cores. Each distinct
        // config space is decoded once (the snapshot holds one array per distinct content, so identity finds
        // them): hosts with many functions have many alike (virtual functions, a card's ports).
        Map<byte[], String> firstWith = new java.util.IdentityHashMap<>();
        for (PciDevice d : in.devices()) {
            firstWith.putIfAbsent(in.configs().get(d.address()), d.address());
        }
        List<Map.Entry<byte[], String>> distinct = new ArrayList<>(firstWith.entrySet());
        List<DecodedFunction> decodedDistinct =
                IoPool.map(distinct, e -> Decoding.decodeForRules(e.getValue(), e.getKey()));
        Map<byte[], DecodedFunction> byConfig = new java.util.IdentityHashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
            byConfig.put(distinct.get(i).getKey(), decodedDistinct.get(i));
        }
        Map<String, DecodedFunction> decoded = new HashMap<>();
        for (PciDevice d : in.devices()) {
            decoded.put(d.address(), byConfig.get(in.configs().get(d.address())).at(d.address()));
        }
        PciTopology topo = PciTopology.of(in.devices(), decoded, in.parents());
        boolean assumeEnables = !in.iommu().iommuActive();
        Map<String, String> ivrsAliases = ReservedRegions.ivrsAliases(topo, in.ivrs());
        Map<String, List<String>> predicted = GroupPredictor.predict(topo, assumeEnables, ivrsAliases);
        LinuxFacts facts = new LinuxFacts(topo, new Isolation(assumeEnables), predicted, liveGroups(in.devices()),
                ReservedRegions.of(topo, in.dmar(), in.ivrs()), ReservedRegions.describeAliases(topo, ivrsAliases));
        return judge(facts.all(), in.hostUse(), HostChecks.run(in.iommu()), Order.ALL_RULES, target, platform);
    }

    /** Windows: {@link #judge(List, HostUse, List, Order, Target, String)} with a Hyper-V headline. */
    public static Result judge(List<DeviceFacts> facts, HostUse hostUse, List<HostCheck> checks, Order order) {
        return judge(facts, hostUse, checks, order, Target.HYPERV, "windows");
    }

    /**
     * The one rule set over any platform's facts.
     *
     * @param facts   every function on the host, in address order (group mates are looked up here)
     * @param hostUse what the host depends on
     * @param checks  the platform's host checks, passed through
     * @param order    how far the Hyper-V rules run per device (VFIO's always run in full)
     * @param target   the headline's target
     * @param platform the host's platform, for the host-readiness reasons of the headline
     */
    public static Result judge(List<DeviceFacts> facts, HostUse hostUse, List<HostCheck> checks, Order order,
            Target target, String platform) {
        Map<String, DeviceFacts> all = new LinkedHashMap<>();
        for (DeviceFacts f : facts) {
            all.put(f.address(), f);
        }
        List<Reason> blocking = HostReadiness.blocking(checks, target, platform);
        return new Result(List.copyOf(checks),
                new Reports(List.copyOf(facts), f -> judgeOne(f, all, hostUse, order, target, blocking)), target);
    }

    /**
     * Every function's report, judged when read, a chunk at a time (in parallel), and not kept beyond the
     * chunk being read: a survey's reports are read once or twice in order (the summary, then the JSON as it
     * streams out), and holding all of them was most of a large survey's memory (6 KB a function, 400 MB at
     * 65,536; see tests/bench). Judging is pure, so a report read twice is the same report. Unmodifiable.
     */
    public static final class Reports extends java.util.AbstractList<DeviceReport> implements java.util.RandomAccess {
        /** Functions judged together (one hand-out to the pool, and what is held while they are read). */
        public static final int CHUNK = 512;

        private final List<DeviceFacts> facts;
        private final java.util.function.Function<DeviceFacts, DeviceReport> judge;
        /** The chunk last judged. */
        private volatile Chunk last;

        private record Chunk(int start, List<DeviceReport> reports) {
        }

        Reports(List<DeviceFacts> facts, java.util.function.Function<DeviceFacts, DeviceReport> judge) {
            this.facts = facts;
            this.judge = judge;
        }

        /** The function of report {@code i}, without judging it. */
        public PciDevice device(int i) {
            return facts.get(i).device();
        }

        /** The function of {@code reports}' report {@code i}: from its facts when judged lazily (not judging it). */
        public static PciDevice deviceOf(List<DeviceReport> reports, int i) {
            return reports instanceof Reports lazy ? lazy.device(i) : reports.get(i).device();
        }

        @Override
        public DeviceReport get(int i) {
            java.util.Objects.checkIndex(i, facts.size());
            Chunk c = last;
            if (c == null || i < c.start() || i >= c.start() + c.reports().size()) {
                int start = i - i % CHUNK;
                c = new Chunk(start, IoPool.map(facts.subList(start, Math.min(facts.size(), start + CHUNK)), judge));
                last = c;
            }
            return c.reports().get(i - c.start());
        }

        @Override
        public int size() {
            return facts.size();
        }
    }

    private static DeviceReport judgeOne(DeviceFacts f, Map<String, DeviceFacts> all, HostUse hostUse, Order order,
            Target target, List<Reason> blocking) {
        Map<Target, TargetVerdict> targets = new EnumMap<>(Target.class);
        List<Reason> earlier = new ArrayList<>();
        for (Target t : Target.values()) {
            DeviceContext ctx = new DeviceContext(f, all, hostUse, t);
            List<Reason> reasons = new ArrayList<>();
            for (DeviceRule rule : RULES) {
                List<Reason> got = shared(rule.check(ctx), earlier);
                reasons.addAll(got);
                if (t == Target.HYPERV && order == Order.STOP_AT_FIRST_ERROR
                        && got.stream().anyMatch(r -> r.severity() == Severity.ERROR)) {
                    break;
                }
            }
            targets.put(t, TargetVerdict.of(reasons));
            earlier.addAll(reasons);
        }
        List<Reason> headline = new ArrayList<>(blocking);
        headline.addAll(targets.get(target).reasons());
        DeviceContext ctx = new DeviceContext(f, all, hostUse, target);
        MmioRequirement mmio = f.memory() == null ? null : MmioRequirement.of(f.memory().bars());
        List<String> predicted = f.group() == null ? List.of() : f.group().predicted();
        return new DeviceReport(f.device(), target, Verdict.of(headline), headline, targets, predicted,
                IommuGroupRule.mustMoveWith(ctx), mmio, f.interrupts(), f.disabled());
    }

    /**
     * {@code got} with each reason equal to one another target already gave replaced by that one: most rules
     * word a reason the same for both targets, and a survey holds every device's reports until they are
     * written (one instance instead of two; the JSON writer also writes a repeated instance from its first
     * rendering).
     */
    private static List<Reason> shared(List<Reason> got, List<Reason> earlier) {
        if (got.isEmpty() || earlier.isEmpty()) {
            return got;
        }
        List<Reason> out = new ArrayList<>(got.size());
        for (Reason r : got) {
            Reason same = r;
            for (Reason e : earlier) {
                if (e.equals(r)) {
                    same = e;
                    break;
                }
            }
            out.add(same);
        }
        return out;
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
}
