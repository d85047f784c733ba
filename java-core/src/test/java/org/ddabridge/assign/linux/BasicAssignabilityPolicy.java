package org.ddabridge.assign.linux;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.pci.ConfigDecoder;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.pci.PciClass;
import org.ddabridge.survey.SurveyReport;

/**
 * A minimal policy without the compatibility checker (unit tests of the assignment logic use it; production
 * uses {@link SurveyPolicy}): the SurveyDDA rules that need nothing but config space and the group.
 * <ul>
 *   <li>{@code ConventionalPci}: no PCI Express capability ("Old-style PCI device");</li>
 *   <li>{@code LineInterruptsOnly}: neither MSI nor MSI-X;</li>
 *   <li>{@code GroupNotIsolated}: the IOMMU group also holds a PCIe port, i.e. no ACS isolation upstream.</li>
 * </ul>
 */
public final class BasicAssignabilityPolicy implements AssignabilityPolicy {
    @Override
    public Verdict evaluate(PciDevice d, HostSnapshot snap, SurveyReport survey) {
        byte[] c = snap.configSpaces().getOrDefault(d.address(), new byte[0]);
        List<Reason> reasons = new ArrayList<>();
        if (c.length >= 64) {
            DecodedFunction f = ConfigDecoder.decode(d.address(), c);
            if (f.pcie() == null) {
                reasons.add(new Reason("ConventionalPci",
                        "Conventional PCI device (no PCI Express capability): not assignable."));
            }
            if (f.msi() == null && f.msix() == null) {
                reasons.add(new Reason("LineInterruptsOnly",
                        "All of the interrupts are line-based (no MSI or MSI-X): no assignment can work."));
            }
        }
        if (d.iommuGroup() != null) {
            for (PciDevice o : snap.devices()) {
                if (!o.address().equals(d.address()) && d.iommuGroup().equals(o.iommuGroup())
                        && PciClass.isPciePort(o.address(), snap.configSpaces().getOrDefault(o.address(), new byte[0]))) {
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
