package org.ddabridge.check;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.ddabridge.check.PciTopology.Node;
import org.ddabridge.model.DmarTable;
import org.ddabridge.model.IvrsTable;

/**
 * What the firmware's IOMMU tables say about single functions: the memory it keeps using for DMA on their
 * behalf (Intel DMAR RMRR scopes, AMD IVRS IVMD blocks) and the requester ids AMD's alias entries make them
 * use (IVHD 42h/43h, e.g. everything behind an FCH PCI bridge using the bridge's id).
 */
final class ReservedRegions {
    static final String DMAR = "sys/firmware/acpi/tables/DMAR";
    static final String IVRS = "sys/firmware/acpi/tables/IVRS";

    /**
     * One function's reserved memory.
     *
     * @param source        the table it came from
     * @param description   the region and how the table names the function
     * @param vfioRelaxable the kernel tells VFIO the region may be ignored (Intel RMRRs of USB and graphics
     *                      devices); AMD unity maps and other RMRRs are direct mappings VFIO refuses
     */
    record Region(String source, String description, boolean vfioRelaxable) {
    }

    private ReservedRegions() {
    }

    /** Address -> the first reserved region naming it (RMRR scopes, then IVMD blocks). */
    static Map<String, Region> of(PciTopology topo, DmarTable dmar, IvrsTable ivrs) {
        Map<String, Region> out = new TreeMap<>();
        if (dmar != null) {
            rmrrs(topo, dmar, out);
        }
        if (ivrs != null && ivrs.present()) {
            for (IvrsTable.Ivmd m : ivrs.ivmds()) {
                for (Node n : topo.nodes()) {
                    // IVMD blocks carry no segment: they describe segment 0, like the kernel reads them.
                    if (n.pciAddress().domain() == 0 && m.covers(devid(n))) {
                        out.putIfAbsent(n.address(), new Region(IVRS, m.describe(), !m.direct()));
                    }
                }
            }
        }
        return out;
    }

    /**
     * RMRR scopes: the path is walked from the start bus through bridges' secondary bus numbers; a
     * sub-hierarchy scope covers everything below the bridge it names.
     */
    private static void rmrrs(PciTopology topo, DmarTable dmar, Map<String, Region> out) {
        for (DmarTable.Rmrr r : dmar.rmrrs()) {
            String region = String.format("RMRR 0x%x-0x%x", r.base(), r.limit());
            for (DmarTable.DeviceScope s : r.scopes()) {
                Node n = resolve(topo, r.segment(), s);
                if (n == null) {
                    continue;
                }
                String desc = region + " scope " + s.describe();
                out.putIfAbsent(n.address(), new Region(DMAR, desc, relaxable(n)));
                if (s.type() == DmarTable.DeviceScope.PCI_SUB_HIERARCHY) {
                    for (Node below : topo.below(n)) {
                        out.putIfAbsent(below.address(), new Region(DMAR, desc, relaxable(below)));
                    }
                }
            }
        }
    }

    /** intel-iommu's device_rmrr_is_relaxable: USB and graphics RMRRs do not stop VFIO. */
    private static boolean relaxable(Node n) {
        return n.device().baseClass() == 0x03 || n.device().classCode().startsWith("0c03");
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

    /**
     * Address -> the address of the function whose requester id it uses per the IVRS alias entries, for
     * aliases on the same bus (the kernel's AMD driver adds only those as PCI DMA aliases) that name another
     * existing function.
     */
    static Map<String, String> ivrsAliases(PciTopology topo, IvrsTable ivrs) {
        Map<String, String> out = new HashMap<>();
        if (ivrs == null || !ivrs.present()) {
            return out;
        }
        for (Node n : topo.nodes()) {
            int alias = ivrs.aliasOf(n.pciAddress().domain(), devid(n));
            if (alias < 0 || alias == devid(n) || (alias >> 8) != n.pciAddress().bus()) {
                continue;
            }
            String a = String.format("%04x:%02x:%02x.%x", n.pciAddress().domain(), alias >> 8, alias >> 3 & 0x1f,
                    alias & 7);
            if (topo.node(a) != null) {
                out.put(n.address(), a);
            }
        }
        return out;
    }

    /** Evidence text per aliased address. */
    static Map<String, String> describeAliases(PciTopology topo, Map<String, String> aliases) {
        Map<String, String> out = new HashMap<>();
        aliases.forEach((a, b) -> out.put(a, "IVHD alias entry: DMA uses the requester id of " + b));
        return out;
    }

    static int devid(Node n) {
        return n.pciAddress().bus() << 8 | n.pciAddress().device() << 3 | n.pciAddress().function();
    }
}
