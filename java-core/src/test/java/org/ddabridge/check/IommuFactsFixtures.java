package org.ddabridge.check;

import java.util.List;

import org.ddabridge.model.IommuFacts;
/** IommuFacts values for tests. */
final class IommuFactsFixtures {
    private IommuFactsFixtures() {
    }

    /** Intel host, IOMMU on with 12 groups, IR enabled, vfio-pci loaded, bare metal. */
    static IommuFacts active() {
        return new IommuFacts(true, true, 1, false, List.of("dmar0"), 12, List.of("DMA-FQ"), "intel_iommu=on", true,
                List.of("DMAR-IR: Enabled IRQ remapping in x2apic mode"), true, true, 4, Boolean.FALSE, true, null,
                false, true, "");
    }

    /** Intel host with the IOMMU off on the command line, no IR evidence, vfio not installed. */
    static IommuFacts off() {
        return new IommuFacts(true, true, 1, false, List.of(), 0, List.of(), "quiet intel_iommu=off", true,
                List.of("DMAR: IOMMU disabled"), false, true, 0, null, false, null, false, true, "");
    }
}
