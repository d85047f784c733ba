package org.ddabridge.platform.spi;

import java.util.List;

import org.ddabridge.model.BootOverride;
import org.ddabridge.model.DmarTable;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.HostUse;
import org.ddabridge.model.IommuFacts;
import org.ddabridge.model.IvrsTable;

/**
 * Everything the checker reads about a PCI host: the snapshot (functions and config spaces; parents in
 * {@code PciDevice.parent}), the kernel's IOMMU evidence, the host's own use of its devices, and the
 * DMAR and IVRS tables (null when there is none to read), and what the host persists for the next boot
 * ({@code bootOverrides}; null when unknown). An lspci dump has unknown IOMMU facts, host use and boot overrides.
 */
public record PciHostFacts(HostSnapshot snapshot, IommuFacts iommu, HostUse hostUse, DmarTable dmar,
        IvrsTable ivrs, List<BootOverride> bootOverrides) {
    /** A host without IVRS facts or boot overrides (unknown). */
    public PciHostFacts(HostSnapshot snapshot, IommuFacts iommu, HostUse hostUse, DmarTable dmar) {
        this(snapshot, iommu, hostUse, dmar, null, null);
    }
}
