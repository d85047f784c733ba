package org.ddabridge.assign.linux;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.assign.linux.CheckerPolicy;
import org.ddabridge.check.Reason;
import org.ddabridge.check.Verdict;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.util.HostRoot;
/**
 * A minimal policy without the compatibility checker (unit tests of the assignment logic use it; production
 * uses {@link CheckerPolicy}): the SurveyDDA rules that need nothing but config space and the group.
 * <ul>
 *   <li>{@code ConventionalPci}: no PCI Express capability ("Old-style PCI device");</li>
 *   <li>{@code LineInterruptsOnly}: neither MSI nor MSI-X;</li>
 *   <li>{@code GroupNotIsolated}: the IOMMU group also holds a PCIe port, i.e. no ACS isolation upstream.</li>
 * </ul>
 */
public final class BasicAssignabilityPolicy implements AssignabilityPolicy {
    @Override
    public Verdict evaluate(PciDevice d, HostSnapshot snap, HostRoot root) {
        byte[] c = snap.configSpaces().getOrDefault(d.address(), new byte[0]);
        List<Reason> reasons = new ArrayList<>();
        if (c.length >= 64) {
            if (ConfigBits.pcieType(c) < 0) {
                reasons.add(new Reason("ConventionalPci",
                        "Conventional PCI device (no PCI Express capability): not assignable."));
            }
            if (!ConfigBits.hasMsi(c)) {
                reasons.add(new Reason("LineInterruptsOnly",
                        "All of the interrupts are line-based (no MSI or MSI-X): no assignment can work."));
            }
        }
        if (d.iommuGroup() != null) {
            for (PciDevice o : snap.devices()) {
                if (!o.address().equals(d.address()) && d.iommuGroup().equals(o.iommuGroup())
                        && ConfigBits.isPciePort(snap.configSpaces().getOrDefault(o.address(), new byte[0]))) {
                    reasons.add(new Reason("GroupNotIsolated", "IOMMU group " + d.iommuGroup()
                            + " also holds the PCIe port " + o.address()
                            + ": no ACS isolation upstream, traffic may reach other devices."));
                    break;
                }
            }
        }
        return reasons.isEmpty() ? Verdict.ok() : new Verdict(false, "NotAssignable", reasons);
    }
}
