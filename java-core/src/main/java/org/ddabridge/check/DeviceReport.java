package org.ddabridge.check;

import java.util.List;

import org.ddabridge.model.PciDevice;
/**
 * The survey's finding for one function.
 *
 * @param device              the enumerated function
 * @param verdict             Assignable, AssignableWithWarnings or NotAssignable
 * @param reasons             every rule's reasons in rule order
 * @param predictedIommuGroup predicted group members, sorted; empty where the platform has no IOMMU groups
 *                            (Windows)
 * @param mustMoveWith        other non-bridge functions that must go to the same VM
 * @param mmio                MMIO needs (BARs, or Windows' allocated memory ranges), or null when unknown
 *                            (dumps, memory not read)
 */
public record DeviceReport(PciDevice device, Verdict verdict, List<Reason> reasons, List<String> predictedIommuGroup,
        List<String> mustMoveWith, MmioRequirement mmio) {
}
