package org.ddabridge.pci;

/**
 * Summary records of the decoded capabilities the checks use. Each is null in a {@link DecodedFunction}
 * when the function lacks that capability.
 */
public final class Summaries {
    private Summaries() {
    }

    /**
     * PCI Express capability.
     *
     * @param version  capability version (1 or 2)
     * @param portType one of Endpoint, LegacyEndpoint, RootPort, UpstreamPort, DownstreamPort, PciePciBridge,
     *                 PciPcieBridge, RcIntegratedEndpoint, RcEventCollector (or Unknown(n))
     * @param flr      Function Level Reset capable (DevCap bit 28)
     */
    public record Pcie(int version, String portType, boolean flr, int linkSpeedMax, int linkWidthMax,
            int linkSpeed, int linkWidth, boolean slotImplemented) {
    }

    /** MSI: {@code count} = messages capable (1-32). */
    public record Msi(int count, boolean is64Bit, boolean perVectorMask, boolean enabled) {
    }

    /** MSI-X: {@code tableSize} = number of vectors. */
    public record Msix(int tableSize, int tableBar, long tableOffset, int pbaBar, long pbaOffset, boolean enabled) {
    }

    /** Power management: {@code noSoftReset} set means a D3hot-D0 transition does not reset the function. */
    public record Pm(int version, boolean noSoftReset) {
    }

    /** ACS capability and control. */
    public record Acs(AcsBits capability, AcsBits control) {
    }

    /** SR-IOV. */
    public record Sriov(int totalVfs, int initialVfs, int numVfs, int vfOffset, int vfStride, String vfDeviceId) {
    }

    /** Type 1 header bus numbers. */
    public record Bridge(int primaryBus, int secondaryBus, int subordinateBus) {
    }
}
