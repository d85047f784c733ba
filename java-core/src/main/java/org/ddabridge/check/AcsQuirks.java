package org.ddabridge.check;

import java.util.Optional;
import java.util.Set;

import org.ddabridge.check.PciTopology.Node;

/**
 * A compact form of the Linux kernel's device-specific ACS table ({@code drivers/pci/quirks.c},
 * {@code pci_dev_acs_enabled}): devices without a (usable) ACS capability that the kernel nevertheless
 * treats as isolating, so they do not merge IOMMU groups. Only the entries that matter on PCs and common
 * servers are kept; the answer is "as the kernel decides once the IOMMU has enabled the quirk".
 */
final class AcsQuirks {
    static final int INTEL = 0x8086;
    static final int AMD = 0x1022;
    static final int ATI = 0x1002;

    /** Intel PCH root ports with ACS-like isolation but no ACS capability (Ibexpeak to 9 series). */
    private static final Set<Integer> INTEL_PCH_ROOT_PORTS = intelPchRootPorts();

    /** Multifunction endpoints vendors have declared free of peer-to-peer between functions. */
    private static final Set<Long> MF_ENDPOINTS = Set.of(
            // Intel 82598/82599/X540/X550 10 GbE, 82580, 82576, 82575, I350, 82571, I219
            id(INTEL, 0x10c6), id(INTEL, 0x10db), id(INTEL, 0x10dd), id(INTEL, 0x10e1), id(INTEL, 0x10f1),
            id(INTEL, 0x10f7), id(INTEL, 0x10f8), id(INTEL, 0x10f9), id(INTEL, 0x10fa), id(INTEL, 0x10fb),
            id(INTEL, 0x10fc), id(INTEL, 0x1507), id(INTEL, 0x1514), id(INTEL, 0x151c), id(INTEL, 0x1529),
            id(INTEL, 0x152a), id(INTEL, 0x154d), id(INTEL, 0x154f), id(INTEL, 0x1551), id(INTEL, 0x1558),
            id(INTEL, 0x1509), id(INTEL, 0x150e), id(INTEL, 0x150f), id(INTEL, 0x1510), id(INTEL, 0x1511),
            id(INTEL, 0x1516), id(INTEL, 0x1527), id(INTEL, 0x10c9), id(INTEL, 0x10e6), id(INTEL, 0x10e7),
            id(INTEL, 0x10e8), id(INTEL, 0x150a), id(INTEL, 0x150d), id(INTEL, 0x1518), id(INTEL, 0x1526),
            id(INTEL, 0x10a7), id(INTEL, 0x10a9), id(INTEL, 0x10d6), id(INTEL, 0x1521), id(INTEL, 0x1522),
            id(INTEL, 0x1523), id(INTEL, 0x1524), id(INTEL, 0x105e), id(INTEL, 0x105f), id(INTEL, 0x1060),
            id(INTEL, 0x10d9), id(INTEL, 0x15b7), id(INTEL, 0x15b8),
            // Solarflare, Emulex BE3-R / Skyhawk-R, Broadcom NetXtreme-E
            id(0x1924, 0x0903), id(0x1924, 0x0923), id(0x1924, 0x0a03), id(0x19a2, 0x0710), id(0x10df, 0x0720),
            id(0x14e4, 0x16d7), id(0x14e4, 0x1750), id(0x14e4, 0x1751), id(0x14e4, 0x1752), id(0x14e4, 0x1760),
            id(0x14e4, 0x1761), id(0x14e4, 0x1762), id(0x14e4, 0x1763));

    /** AMD/ATI south bridge functions the kernel isolates when an AMD IOMMU is present. */
    private static final Set<Long> AMD_SB = Set.of(id(ATI, 0x4385), id(ATI, 0x439c), id(ATI, 0x4383), id(ATI, 0x439d),
            id(ATI, 0x4384), id(ATI, 0x4399), id(AMD, 0x780f), id(AMD, 0x7809));

    private AcsQuirks() {
    }

    /**
     * The quirk's answer for the kernel's required flags, or empty when no quirk applies (then the ACS
     * capability decides). {@code name} receives a short description for evidence.
     */
    static Optional<String> isolatingQuirk(Node n) {
        int v = n.vendor();
        int d = n.deviceId();
        String type = n.portType();
        if (v == INTEL && "RootPort".equals(type) && INTEL_PCH_ROOT_PORTS.contains(d)) {
            return Optional.of("Intel PCH root port without ACS capability (kernel quirk pci_quirk_intel_pch_acs)");
        }
        if (v == INTEL && "RcIntegratedEndpoint".equals(type)) {
            return Optional.of("Intel root-complex integrated endpoint (kernel quirk pci_quirk_rciep_acs)");
        }
        if (MF_ENDPOINTS.contains(id(v, d))) {
            return Optional.of("multifunction endpoint without peer-to-peer (kernel quirk pci_quirk_mf_endpoint_acs)");
        }
        if (AMD_SB.contains(id(v, d))) {
            return Optional.of("AMD south bridge function (kernel quirk pci_quirk_amd_sb_acs)");
        }
        return Optional.empty();
    }

    /**
     * Intel Sunrise Point / Union Point / 7th-8th gen mobile root ports: their ACS capability exists
     * but the control register sits 2 bytes later than the specification says.
     */
    static boolean intelSptControlQuirk(Node n) {
        int d = n.deviceId();
        return n.vendor() == INTEL && "RootPort".equals(n.portType())
                && ((d >= 0xa110 && d <= 0xa11f) || (d >= 0xa167 && d <= 0xa16a) || (d >= 0xa290 && d <= 0xa29f)
                        || (d >= 0xa2e7 && d <= 0xa2ee) || (d >= 0x9d10 && d <= 0x9d1b));
    }

    private static Set<Integer> intelPchRootPorts() {
        java.util.HashSet<Integer> s = new java.util.HashSet<>();
        range(s, 0x3b42, 0x3b51); // Ibexpeak
        range(s, 0x1c10, 0x1c1f); // Cougarpoint
        range(s, 0x1e10, 0x1e1f); // Pantherpoint
        range(s, 0x8c10, 0x8c1f); // Lynxpoint-H
        range(s, 0x9c10, 0x9c1b); // Lynxpoint-LP
        range(s, 0x9c90, 0x9c9b); // Wildcat
        for (int i = 0x1d10; i <= 0x1d1e; i += 2) {
            s.add(i); // Patsburg (X79)
        }
        range(s, 0x8d10, 0x8d1e); // Wellsburg (X99)
        for (int i = 0x8c90; i <= 0x8c9e; i += 2) {
            s.add(i); // 9 series
        }
        return Set.copyOf(s);
    }

    private static void range(java.util.Set<Integer> s, int from, int to) {
        for (int i = from; i <= to; i++) {
            s.add(i);
        }
    }

    private static long id(int vendor, int device) {
        return (long) vendor << 16 | device;
    }
}
