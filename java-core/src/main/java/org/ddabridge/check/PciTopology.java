package org.ddabridge.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ddabridge.model.PciAddress;
import org.ddabridge.model.PciDevice;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.pci.PciClass;
/**
 * The PCI tree the rules reason about: every function with its decoded config space and its upstream
 * bridge. Built from the live parent links, or (for lspci dumps) from bridge bus numbers.
 */
public final class PciTopology {
    /** One function in the tree. {@code parent} is the upstream bridge's address, null on a root bus. */
    public record Node(PciAddress pciAddress, PciDevice device, DecodedFunction decoded, String parent) {
        public String address() {
            return device.address();
        }

        /** Port type of the PCIe capability, or null for conventional PCI/PCI-X. */
        public String portType() {
            return decoded.pcie() == null ? null : decoded.pcie().portType();
        }

        public boolean isPcie() {
            return decoded.pcie() != null;
        }

        /**
         * Multifunction as the kernel sees it: function 0 by its header-type bit, and every function above 0
         * that enumeration found (pci_scan_slot marks them all, whatever their own header says; QEMU's
         * second function, for one, leaves the bit clear). SR-IOV virtual functions keep their header bit.
         */
        public boolean multiFunction() {
            return decoded.multiFunction() || (pciAddress.function() > 0 && device.physicalFunction() == null);
        }

        /** Type 1/2 header: a bridge of some sort. */
        public boolean isBridge() {
            return PciClass.isBridge(null, decoded.headerType());
        }

        /** Config space incomplete (an unprivileged reader sees only 64 bytes): capabilities unknown. */
        public boolean capabilitiesUnknown() {
            return decoded.configSize() < 256;
        }

        /** A PCIe function whose extended space (ACS lives there) was not read: 256-byte dump. */
        public boolean extendedUnknown() {
            return isPcie() && decoded.configSize() < 4096;
        }

        /** Vendor id; the enumerated one first (an SR-IOV VF's config space reads ffff there). */
        public int vendor() {
            return parseHex(device.vendorId(), parseHex(decoded.vendorId(), -1));
        }

        public int deviceId() {
            return parseHex(device.deviceId(), parseHex(decoded.deviceId(), -1));
        }

        private static int parseHex(String s, int dflt) {
            try {
                return s == null ? dflt : Integer.parseInt(s, 16);
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
    }

    private final Map<String, Node> nodes;
    /** Functions per (domain, bus): rules ask for bus mates of every function, so index them once. */
    private final Map<Long, List<Node>> byBus = new HashMap<>();

    private PciTopology(Map<String, Node> nodes) {
        this.nodes = nodes;
        for (Node n : nodes.values()) {
            byBus.computeIfAbsent(busKey(n.pciAddress().domain(), n.pciAddress().bus()), k -> new ArrayList<>()).add(n);
        }
    }

    private static long busKey(int domain, int bus) {
        return (long) domain << 8 | bus;
    }

    /**
     * Builds the tree. {@code parents} gives each function's upstream bridge (null entry or absent: root
     * bus); devices must be in address order.
     */
    public static PciTopology of(List<PciDevice> devices, Map<String, DecodedFunction> decoded,
            Map<String, String> parents) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (PciDevice d : devices) {
            nodes.put(d.address(), new Node(d.pciAddress(), d, decoded.get(d.address()), parents.get(d.address())));
        }
        return new PciTopology(Collections.unmodifiableMap(nodes));
    }


    public Optional<Node> get(String address) {
        return Optional.ofNullable(nodes.get(address));
    }

    public Node node(String address) {
        return nodes.get(address);
    }

    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    /** The parent node, if present in the tree. */
    public Optional<Node> parent(Node n) {
        return n.parent() == null ? Optional.empty() : get(n.parent());
    }

    /** Bridges from the nearest up to the one on the root bus. */
    public List<Node> upstream(Node n) {
        List<Node> out = new ArrayList<>();
        Node cur = n;
        for (int guard = 0; guard < 256; guard++) {
            Optional<Node> p = parent(cur);
            if (p.isEmpty()) {
                break;
            }
            out.add(p.get());
            cur = p.get();
        }
        return out;
    }

    /** Every function on the same bus (same domain, bus and parent), the node included. */
    public List<Node> busMates(Node n) {
        return List.copyOf(byBus.getOrDefault(busKey(n.pciAddress().domain(), n.pciAddress().bus()), List.of()));
    }

    /** Other functions of the same device (slot). */
    public List<Node> slotSiblings(Node n) {
        List<Node> out = new ArrayList<>();
        for (Node o : busMates(n)) {
            if (o != n && o.pciAddress().device() == n.pciAddress().device()) {
                out.add(o);
            }
        }
        return out;
    }

    /** Functions whose secondary bus is {@code bus} in {@code domain} (a bridge), if any. */
    public Optional<Node> bridgeTo(int domain, int bus) {
        for (Node o : nodes.values()) {
            if (o.pciAddress().domain() == domain && o.decoded().bridge() != null
                    && o.decoded().bridge().secondaryBus() == bus) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** Every node whose upstream chain contains {@code bridge}. */
    public List<Node> below(Node bridge) {
        List<Node> out = new ArrayList<>();
        for (Node o : nodes.values()) {
            if (upstream(o).contains(bridge)) {
                out.add(o);
            }
        }
        return out;
    }
}
