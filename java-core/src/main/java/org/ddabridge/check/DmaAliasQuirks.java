package org.ddabridge.check;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ddabridge.check.PciTopology.Node;

/**
 * The Linux kernel's DMA-alias quirks ({@code drivers/pci/quirks.c}), as data: devices that issue DMA with a
 * requester id other than their own, so the IOMMU must treat both ids as one device and the kernel puts
 * both functions into one IOMMU group. Source of every entry: the kernel's {@code DECLARE_PCI_FIXUP_HEADER}
 * lines for the named quirk function (checked against Linux 6.6 and the stable patches that added
 * Marvell 9125/9215/9235).
 *
 * <ul>
 *   <li>{@code quirk_dma_func0_alias}: Ricoh card readers use function 0's id from every function;</li>
 *   <li>{@code quirk_dma_func1_alias}: Marvell/HighPoint/JMicron SATA controllers use a phantom function 1;</li>
 *   <li>{@code quirk_fixed_dma_alias}: the Adaptec 3405 also uses devfn 01.0;</li>
 *   <li>{@code quirk_use_pcie_bridge_dma_alias}: PCIe-to-PCI bridges without a PCIe capability (ASMedia
 *       ASM1083/1085, TI XIO2000A, ITE 8892/8893): everything below them aliases to the bridge, which the
 *       group predictor already does for any conventional bridge.</li>
 * </ul>
 */
final class DmaAliasQuirks {
    /** How the device aliases. */
    enum Kind { FUNCTION_0, FUNCTION_1, FIXED_DEVFN, PCIE_BRIDGE }

    /** One quirk hit: the kind, the alias devfn (device, function) where it applies, and the kernel's name. */
    record Alias(Kind kind, int aliasDevice, int aliasFunction, String quirk) {
        String describe(Node n) {
            String who = String.format("%04x:%04x", n.vendor(), n.deviceId());
            return switch (kind) {
                case PCIE_BRIDGE -> who + ": DMA from below uses the bridge's requester id (kernel " + quirk + ")";
                default -> who + String.format(": DMA also uses requester id %02x.%x (kernel %s)", aliasDevice,
                        aliasFunction, quirk);
            };
        }
    }

    private static final int RICOH = 0x1180;
    private static final int MARVELL_EXT = 0x1b4b;
    private static final int TTI = 0x1103;
    private static final int JMICRON = 0x197b;
    private static final int ADAPTEC2 = 0x9005;

    private static final Set<Long> FUNC0 = Set.of(id(RICOH, 0xe832), id(RICOH, 0xe476));
    private static final Set<Long> FUNC1 = Set.of(id(MARVELL_EXT, 0x9120), id(MARVELL_EXT, 0x9123),
            id(MARVELL_EXT, 0x9125), id(MARVELL_EXT, 0x9128), id(MARVELL_EXT, 0x9130), id(MARVELL_EXT, 0x9170),
            id(MARVELL_EXT, 0x9172), id(MARVELL_EXT, 0x917a), id(MARVELL_EXT, 0x9182), id(MARVELL_EXT, 0x9183),
            id(MARVELL_EXT, 0x91a0), id(MARVELL_EXT, 0x9215), id(MARVELL_EXT, 0x9220), id(MARVELL_EXT, 0x9230),
            id(MARVELL_EXT, 0x9235), id(TTI, 0x0642), id(TTI, 0x0645), id(JMICRON, 0x2392));
    private static final Set<Long> FIXED_01_0 = Set.of(id(ADAPTEC2, 0x0285));
    private static final Set<Long> PCIE_BRIDGE_ALIAS = Set.of(id(0x1b21, 0x1080), id(0x104c, 0x8240),
            id(0x1283, 0x8892), id(0x1283, 0x8893));

    private DmaAliasQuirks() {
    }

    /** The quirk that applies to {@code n}, if any. */
    static Optional<Alias> of(Node n) {
        long key = id(n.vendor(), n.deviceId());
        int dev = n.pciAddress().device();
        if (FUNC0.contains(key)) {
            return Optional.of(new Alias(Kind.FUNCTION_0, dev, 0, "quirk_dma_func0_alias"));
        }
        if (FUNC1.contains(key)) {
            return Optional.of(new Alias(Kind.FUNCTION_1, dev, 1, "quirk_dma_func1_alias"));
        }
        if (FIXED_01_0.contains(key)) {
            return Optional.of(new Alias(Kind.FIXED_DEVFN, 1, 0, "quirk_fixed_dma_alias"));
        }
        if (PCIE_BRIDGE_ALIAS.contains(key)) {
            return Optional.of(new Alias(Kind.PCIE_BRIDGE, 0, 0, "quirk_use_pcie_bridge_dma_alias"));
        }
        return Optional.empty();
    }

    /**
     * The functions of the tree whose requester id {@code n} also uses (the kernel merges their groups); the
     * alias is on the same bus. Empty when no quirk applies or the aliased function does not exist.
     */
    static List<Node> aliasedFunctions(PciTopology topo, Node n) {
        Optional<Alias> a = of(n);
        if (a.isEmpty() || a.get().kind() == Kind.PCIE_BRIDGE) {
            return List.of();
        }
        String addr = String.format("%04x:%02x:%02x.%x", n.pciAddress().domain(), n.pciAddress().bus(),
                a.get().aliasDevice(), a.get().aliasFunction());
        Node other = topo.node(addr);
        return other == null || other == n ? List.of() : List.of(other);
    }

    private static long id(int vendor, int device) {
        return (long) vendor << 16 | device;
    }
}
