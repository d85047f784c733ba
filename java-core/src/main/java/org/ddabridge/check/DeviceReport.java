package org.ddabridge.check;

import java.util.List;
import java.util.Map;

import org.ddabridge.model.PciDevice;
/**
 * The survey's finding for one function.
 *
 * @param device              the enumerated function
 * @param target              the target of the headline (this host's hypervisor unless asked otherwise)
 * @param verdict             the headline: {@code target}'s verdict, NotAssignable when a host check blocks
 *                            assignment on this host
 * @param reasons             the headline's reasons: the host's blocking checks first, then {@code target}'s
 * @param targets             the device-only judgement per target (host readiness not included)
 * @param predictedIommuGroup predicted group members, sorted; empty where the platform has no IOMMU groups
 *                            (Windows)
 * @param mustMoveWith        other non-bridge functions that must go to the same VM
 * @param mmio                MMIO needs (BARs, or Windows' allocated memory ranges), or null when unknown
 *                            (dumps, memory not read)
 * @param interrupts          the interrupt facts the rules judged (the Windows view lists them as allocated IRQs)
 * @param disabled            the disabled state the rules judged
 */
public record DeviceReport(PciDevice device, Target target, Verdict verdict, List<Reason> reasons,
        Map<Target, TargetVerdict> targets, List<String> predictedIommuGroup, List<String> mustMoveWith,
        MmioRequirement mmio, DeviceFacts.Interrupts interrupts, DeviceFacts.Disabled disabled) {
    public DeviceReport {
        reasons = List.copyOf(reasons);
        targets = Map.copyOf(targets);
    }

    /** One target's device-only judgement. */
    public TargetVerdict target(Target t) {
        return targets.get(t);
    }
}
