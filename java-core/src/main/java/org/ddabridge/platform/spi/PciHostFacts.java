package org.ddabridge.platform.spi;

import org.ddabridge.model.DmarTable;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.HostUse;
import org.ddabridge.model.IommuFacts;
import org.ddabridge.model.IvrsTable;

/**
 * Everything the checker reads about a PCI host: the snapshot (functions and config spaces; parents in
 * {@code PciDevice.parent}), the kernel's IOMMU evidence, the host's own use of its devices, and the
 * DMAR and IVRS tables (null when there is none to read). An lspci dump has unknown IOMMU facts and host use.
 */
public record PciHostFacts(HostSnapshot snapshot, IommuFacts iommu, HostUse hostUse, DmarTable dmar,
        IvrsTable ivrs) {
    /** A host without IVRS facts. */
    public PciHostFacts(HostSnapshot snapshot, IommuFacts iommu, HostUse hostUse, DmarTable dmar) {
        this(snapshot, iommu, hostUse, dmar, null);
    }
}
