package org.ddabridge.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.ddabridge.pci.PciClass;

import org.ddabridge.check.PciTopology.Node;

/**
 * Predicts IOMMU groups from topology the way the kernel's {@code pci_device_group} forms them, so the
 * answer exists with the IOMMU off and for offline dumps:
 *
 * <ol>
 *   <li>DMA aliasing: walking up, a PCIe-to-PCI(-X) bridge, a PCI(-X)-to-PCIe bridge or any conventional
 *       bridge takes over the requester id of everything below it, so the device's group is decided at
 *       the topmost such bridge;</li>
 *   <li>from there, upward, as long as the bridge above does not isolate along its whole path to the
 *       root (ACS, {@link Isolation#pathEnabled}), the group is that bridge's group;</li>
 *   <li>a multifunction device without isolation shares its group with the non-isolated functions of
 *       the same slot.</li>
 * </ol>
 *
 * <p>On top, DMA aliases merge groups the way the kernel's {@code get_pci_alias_group} does: the kernel's
 * alias quirks ({@link DmaAliasQuirks}: Ricoh function 0, Marvell phantom function 1, fixed aliases) and the
 * AMD IVRS alias entries on the same bus join the aliased function's group when that function exists.
 */
public final class GroupPredictor {
    private GroupPredictor() {
    }

    /** Address -> sorted member addresses of its predicted group (every function of the tree). */
    public static Map<String, List<String>> predict(PciTopology topo, boolean assumeKernelEnables) {
        return predict(topo, assumeKernelEnables, Map.of());
    }

    /** {@link #predict(PciTopology, boolean)} with IVRS aliases (address -> aliased address). */
    public static Map<String, List<String>> predict(PciTopology topo, boolean assumeKernelEnables,
            Map<String, String> ivrsAliases) {
        Isolation iso = new Isolation(assumeKernelEnables);
        Map<String, String> parent = new HashMap<>();
        for (Node n : topo.nodes()) {
            parent.put(n.address(), n.address());
        }
        for (Node n : topo.nodes()) {
            Node anchor = anchor(topo, iso, n);
            union(parent, n.address(), anchor.address());
            if (anchor.multiFunction() && !iso.acsEnabled(anchor).isolated()) {
                for (Node sib : topo.slotSiblings(anchor)) {
                    if (!iso.acsEnabled(sib).isolated()) {
                        union(parent, anchor.address(), sib.address());
                    }
                }
            }
        }
        for (Node n : topo.nodes()) {
            for (Node other : DmaAliasQuirks.aliasedFunctions(topo, n)) {
                union(parent, n.address(), other.address());
            }
            String a = ivrsAliases.get(n.address());
            if (a != null && parent.containsKey(a)) {
                union(parent, n.address(), a);
            }
        }
        Map<String, TreeSet<String>> groups = new TreeMap<>();
        for (Node n : topo.nodes()) {
            groups.computeIfAbsent(find(parent, n.address()), k -> new TreeSet<>()).add(n.address());
        }
        Map<String, List<String>> out = new TreeMap<>();
        // The IOMMU's own PCI function (AMD) is translated by nothing: the kernel gives it no group.
        groups.values().forEach(g -> g.removeIf(a -> PciClass.isIommu(topo.node(a).device().classCode())));
        for (TreeSet<String> g : groups.values()) {
            if (g.isEmpty()) {
                continue;
            }
            List<String> members = List.copyOf(g);
            for (String a : g) {
                out.put(a, members);
            }
        }
        return out;
    }

    /** The function whose group {@code n} joins (itself when nothing above forces sharing). */
    static Node anchor(PciTopology topo, Isolation iso, Node n) {
        Node pdev = n;
        for (Node bridge : topo.upstream(n)) {
            if (bridge.isPcie()) {
                String t = bridge.portType();
                if ("PciePciBridge".equals(t) || "PciPcieBridge".equals(t)) {
                    pdev = bridge;
                }
            } else {
                pdev = bridge;
            }
        }
        List<Node> chain = new ArrayList<>(topo.upstream(pdev));
        for (Node bridge : chain) {
            if (iso.pathEnabled(topo, bridge)) {
                break;
            }
            pdev = bridge;
        }
        return pdev;
    }

    private static String find(Map<String, String> parent, String a) {
        String r = a;
        while (!parent.get(r).equals(r)) {
            r = parent.get(r);
        }
        parent.put(a, r);
        return r;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            // Keep the smaller address as root so results are deterministic.
            if (ra.compareTo(rb) < 0) {
                parent.put(rb, ra);
            } else {
                parent.put(ra, rb);
            }
        }
    }
}
