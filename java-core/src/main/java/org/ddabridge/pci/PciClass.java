package org.ddabridge.pci;

/**
 * The one place that knows what kind of function a class code and header make: host bridge, bridge or
 * port, endpoint. Every layer asks here (the checker's device type, the assignment guards, the groups
 * listing, the simulated driver core), so "is it a bridge?" has one answer.
 */
public final class PciClass {
    private PciClass() {
    }

    /** Class 06/00: a host bridge (the root complex's own function; never assigned, never in the way). */
    public static boolean isHostBridge(String classCode) {
        return classCode != null && classCode.startsWith("0600");
    }

    /**
     * Class 08/06: an IOMMU exposed as a PCI function (AMD-Vi). The IOMMU driver never puts its own function
     * in an IOMMU group (measured in tests/e2e/cases/amd: {@code 00:01.0} has no {@code iommu_group}).
     */
    public static boolean isIommu(String classCode) {
        return classCode != null && classCode.startsWith("0806");
    }

    /**
     * A PCI-to-PCI or CardBus bridge, a PCIe port or a semi-transparent bridge: class 06/04 or 06/09, or a
     * type 1/2 header whatever the class says ({@code headerType} -1 when unknown).
     */
    public static boolean isBridge(String classCode, int headerType) {
        return headerType == 1 || headerType == 2
                || (classCode != null && (classCode.startsWith("0604") || classCode.startsWith("0609")));
    }

    /** {@link #isBridge(String, int)} from raw config bytes (header type at 0x0e, multifunction bit masked). */
    public static boolean isBridge(String classCode, byte[] config) {
        return isBridge(classCode, headerType(config));
    }

    /** Bridges and host bridges: the functions the groups listing and VFIO treat as infrastructure. */
    public static boolean isInfrastructure(String classCode, int headerType) {
        return isBridge(classCode, headerType) || isHostBridge(classCode);
    }

    /** Header type without the multifunction bit; -1 when the config space is too short to say. */
    public static int headerType(byte[] config) {
        return config != null && config.length > 0x0e ? config[0x0e] & 0x7f : -1;
    }

    /**
     * A PCIe root or switch port (the kernel's pcieport driver binds it; VFIO tolerates it in a group),
     * decided by the decoder's PCIe capability summary.
     */
    public static boolean isPciePort(DecodedFunction f) {
        if (f == null || f.pcie() == null) {
            return false;
        }
        String t = f.pcie().portType();
        return "RootPort".equals(t) || "UpstreamPort".equals(t) || "DownstreamPort".equals(t);
    }

    /** {@link #isPciePort(DecodedFunction)} from raw config bytes. */
    public static boolean isPciePort(String address, byte[] config) {
        return config != null && config.length >= 64 && isPciePort(ConfigDecoder.decode(address, config));
    }
}
