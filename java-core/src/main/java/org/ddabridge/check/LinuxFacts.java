package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ddabridge.check.DeviceFacts.AcsPath;
import org.ddabridge.check.DeviceFacts.AcsStatus;
import org.ddabridge.check.DeviceFacts.Disabled;
import org.ddabridge.check.DeviceFacts.Group;
import org.ddabridge.check.DeviceFacts.Interrupts;
import org.ddabridge.check.DeviceFacts.Kind;
import org.ddabridge.check.DeviceFacts.Memory;
import org.ddabridge.check.DeviceFacts.ReservedMemory;
import org.ddabridge.check.DeviceFacts.Reset;
import org.ddabridge.check.DeviceFacts.Signal;
import org.ddabridge.check.DeviceFacts.Sriov;
import org.ddabridge.check.DeviceFacts.Type;
import org.ddabridge.check.PciTopology.Node;

import org.ddabridge.model.Bar;
import org.ddabridge.model.PciDevice;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.pci.PciClass;
import org.ddabridge.pci.Summaries;
import org.ddabridge.util.IoPool;
/**
 * Builds {@link DeviceFacts} from what Linux (or an lspci dump) offers: the decoded configuration space of
 * every function, the PCI tree, the kernel's ACS reasoning ({@link Isolation}), live and predicted IOMMU
 * groups, the DMAR RMRR scopes and IVRS IVMD blocks and aliases. Evidence names config space
 * ({@code config:<bdf>}), sysfs files and the ACPI tables.
 */
final class LinuxFacts {
    private final PciTopology topology;
    private final Isolation isolation;
    private final Map<String, List<String>> predicted;
    private final Map<String, List<String>> live;
    private final Map<String, ReservedRegions.Region> reservedMemory;
    private final Map<String, String> ivrsAliases;

    /**
     * @param topology       the whole tree
     * @param isolation      ACS reasoning configured for this host
     * @param predicted      address -> predicted group members
     * @param live           address -> live group members (empty when the IOMMU is off, or for dumps)
     * @param reservedMemory address -> reserved region for functions named by an RMRR scope or IVMD block
     * @param ivrsAliases    address -> evidence of an IVRS alias entry that merges its group
     */
    LinuxFacts(PciTopology topology, Isolation isolation, Map<String, List<String>> predicted,
            Map<String, List<String>> live, Map<String, ReservedRegions.Region> reservedMemory,
            Map<String, String> ivrsAliases) {
        this.ivrsAliases = ivrsAliases;
        this.topology = topology;
        this.isolation = isolation;
        this.predicted = predicted;
        this.live = live;
        this.reservedMemory = reservedMemory;
    }

    /** Config-space evidence source for a function. */
    static String cfg(String address) {
        return "config:" + address;
    }

    List<DeviceFacts> all() {
        // Each function's facts read only the finished topology: spread over the cores like decoding and judging.
        return new ArrayList<>(IoPool.map(topology.nodes(), this::of));
    }

    DeviceFacts of(Node n) {
        ReservedRegions.Region rm = reservedMemory.get(n.address());
        return new DeviceFacts(n.device(), type(n), interrupts(n), acsPath(n), reset(n),
                rm == null ? ReservedMemory.none()
                        : new ReservedMemory(true, new Evidence(rm.source(), rm.description()), rm.vfioRelaxable()),
                disabled(n), memory(n), group(n), sriov(n));
    }

    private Type type(Node n) {
        String cls = n.device().classCode();
        List<Evidence> ev = List.of(new Evidence(cfg(n.address()), "class=" + cls + " header="
                + n.decoded().headerType() + (n.isPcie() ? " pcie=" + n.portType() : " no PCIe capability")));
        if (n.capabilitiesUnknown()) {
            return new Type(Kind.UNKNOWN, n.isBridge(), null, List.of(ev.get(0),
                    new Evidence(cfg(n.address()), n.decoded().configSize() + " bytes readable")));
        }
        if (PciClass.isBridge(cls, n.decoded().headerType())) {
            return new Type(Kind.BRIDGE, n.isBridge(), null, ev);
        }
        if (PciClass.isHostBridge(cls)) {
            return new Type(Kind.HOST_BRIDGE, false, null, ev);
        }
        Evidence behind = null;
        for (Node up : topology.upstream(n)) {
            if (!up.isPcie() || "PciePciBridge".equals(up.portType()) || "PciPcieBridge".equals(up.portType())) {
                behind = new Evidence("topology", "behind " + up.address() + " ("
                        + (up.isPcie() ? up.portType() : "conventional PCI bridge") + ")");
                break;
            }
        }
        Kind kind;
        if (!n.isPcie()) {
            kind = Kind.CONVENTIONAL_PCI;
        } else {
            kind = switch (n.portType()) {
                case "Endpoint" -> Kind.PCIE_ENDPOINT;
                case "RcIntegratedEndpoint" -> Kind.RC_INTEGRATED_ENDPOINT;
                case "LegacyEndpoint" -> Kind.LEGACY_ENDPOINT;
                default -> Kind.BRIDGE;
            };
        }
        return new Type(kind, false, behind, ev);
    }

    /** The engine's disable (Disable-PnpDevice): the disabling driver_override and no driver. */
    private static Disabled disabled(Node n) {
        PciDevice d = n.device();
        return d.disabledByOverride() ? new Disabled(true, new Evidence("sys/bus/pci/devices/" + n.address()
                + "/driver_override", PciDevice.DISABLED_OVERRIDE + ", no driver bound"), true) : Disabled.no();
    }

    private static Interrupts interrupts(Node n) {
        if (n.capabilitiesUnknown() || n.isBridge()) {
            return Interrupts.unknown();
        }
        DecodedFunction d = n.decoded();
        String src = cfg(n.address());
        if (d.msi() != null || d.msix() != null) {
            String v = (d.msi() != null ? "MSI " + d.msi().count() + " vector(s)" : "")
                    + (d.msi() != null && d.msix() != null ? ", " : "")
                    + (d.msix() != null ? "MSI-X " + d.msix().tableSize() + " vector(s)" : "");
            List<Evidence> ev = new ArrayList<>(List.of(new Evidence(src, v)));
            List<Integer> allocated = n.device().msiIrqs();
            int offered = d.msix() != null ? d.msix().tableSize() : d.msi().count();
            if (!allocated.isEmpty()) {
                ev.add(new Evidence("sys/bus/pci/devices/" + n.address() + "/msi_irqs", allocated.size()
                        + " vector(s) allocated"));
            }
            return new Interrupts(Signal.MESSAGE, ev, allocated.isEmpty() ? offered : allocated.size(), null);
        }
        if (d.interruptPin()) {
            Integer line = n.device().irq();
            List<Evidence> ev = new ArrayList<>(List.of(new Evidence(src, "interrupt pin set, no MSI/MSI-X capability")));
            if (line != null) {
                ev.add(new Evidence("sys/bus/pci/devices/" + n.address() + "/irq", String.valueOf(line)));
            }
            return new Interrupts(Signal.LINE_ONLY, ev, 0, line);
        }
        return new Interrupts(Signal.NONE, List.of(new Evidence(src, "no interrupt pin, no MSI/MSI-X")));
    }

    /** Every bridge and port above must isolate (the kernel's {@code pci_acs_path_enabled} flags). */
    private AcsPath acsPath(Node n) {
        if (n.isBridge() || n.capabilitiesUnknown()) {
            return AcsPath.notApplicable();
        }
        List<Evidence> ok = new ArrayList<>();
        List<Evidence> bad = new ArrayList<>();
        List<Evidence> unknown = new ArrayList<>();
        String offending = null;
        for (Node up : topology.upstream(n)) {
            Isolation.Answer a = isolation.acsEnabled(up);
            Evidence e = new Evidence(cfg(up.address()), a.why());
            if (a.isolated()) {
                ok.add(e);
            } else if (a.unknown()) {
                unknown.add(e);
            } else {
                bad.add(e);
                offending = offending == null ? up.address() : offending;
            }
        }
        if (bad.isEmpty() && !unknown.isEmpty()) {
            List<Evidence> ev = new ArrayList<>(unknown);
            ev.addAll(ok);
            return new AcsPath(AcsStatus.UNREADABLE, null, false, ev);
        }
        if (bad.isEmpty()) {
            return new AcsPath(AcsStatus.ISOLATED, null, ok.isEmpty(), ok);
        }
        List<Evidence> ev = new ArrayList<>(bad);
        ev.addAll(unknown);
        ev.addAll(ok);
        return new AcsPath(AcsStatus.MISSING, offending, false, ev);
    }

    private static Sriov sriov(Node n) {
        Summaries.Sriov s = n.decoded().sriov();
        return s == null ? Sriov.none() : new Sriov(s.numVfs(), new Evidence(cfg(n.address()),
                "SR-IOV TotalVFs=" + s.totalVfs() + " NumVFs=" + s.numVfs()));
    }

    private Reset reset(Node n) {
        List<String> kernel = n.device().resetMethods();
        Evidence kernelEv = kernel.isEmpty() ? null
                : new Evidence("sys/bus/pci/devices/" + n.address() + "/reset_method", String.join(" ", kernel));
        Node parent = topology.parent(n).orElse(null);
        ResetQuirks.Disabled quirks = ResetQuirks.of(n, parent);
        if (n.capabilitiesUnknown()) {
            return new Reset(kernel, kernelEv, List.of(), null, topology.busMates(n).size() - 1, n.parent() == null,
                    quirks.evidence());
        }
        boolean first = topology.busMates(n).stream().allMatch(m -> m.pciAddress().compareTo(n.pciAddress()) >= 0);
        ResetMethods.Computed c = ResetMethods.compute(n, parent, first, quirks);
        return new Reset(kernel, kernelEv, c.methods(), new Evidence(cfg(n.address()), c.why()),
                topology.busMates(n).size() - 1, n.parent() == null, quirks.evidence());
    }

    private static Memory memory(Node n) {
        List<Bar> bars = n.device().bars();
        if (bars == null) {
            return null;
        }
        List<Evidence> ev = new ArrayList<>();
        for (Bar b : bars) {
            if (b.isMemory()) {
                ev.add(new Evidence("sys/bus/pci/devices/" + n.address() + "/resource", String.format(
                        "BAR%d %s%s size=0x%x", b.index(), b.is64Bit() ? "64-bit" : "32-bit",
                        b.prefetchable() ? " prefetchable" : "", b.size())));
            }
        }
        return new Memory(bars, ev);
    }

    private Group group(Node n) {
        List<String> l = live.get(n.address());
        if (l == null && !predicted.containsKey(n.address()) && PciClass.isIommu(n.device().classCode())) {
            return null; // the IOMMU's own function: no group, predicted or live (GroupPredictor)
        }
        List<String> p = predicted.getOrDefault(n.address(), List.of(n.address()));
        List<Evidence> aliases = new ArrayList<>();
        DmaAliasQuirks.of(n).ifPresent(a -> aliases.add(new Evidence("kernel quirk", a.describe(n))));
        String ivrs = ivrsAliases.get(n.address());
        if (ivrs != null) {
            aliases.add(new Evidence("sys/firmware/acpi/tables/IVRS", ivrs));
        }
        return l != null ? new Group(l, p, true, "sys/kernel/iommu_groups/" + n.device().iommuGroup(), aliases)
                : new Group(p, p, false, "predicted", aliases);
    }
}
