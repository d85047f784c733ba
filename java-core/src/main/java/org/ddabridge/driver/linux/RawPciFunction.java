package org.ddabridge.driver.linux;

import java.util.List;

import org.ddabridge.model.PciAddress;
/**
 * What {@link SysfsPci#query} read for one function, unparsed apart from the identity fields.
 * Empty strings mean "the file was absent"; {@code irq} is the {@code irq} file, {@code msiIrqs} the entry
 * names of the {@code msi_irqs} directory (the kernel's allocated message vectors; empty without one).
 */
public record RawPciFunction(
        PciAddress address,
        String linkTarget,
        byte[] config,
        String vendorId,
        String deviceId,
        String subsystemVendorId,
        String subsystemId,
        String classCode,
        String revision,
        List<String> resourceLines,
        String driver,
        String iommuGroup,
        String numaNode,
        String resetMethod,
        boolean bootVga,
        String driverOverride,
        String physicalFunction,
        String irq,
        List<String> msiIrqs) {

    /** This function with {@code other} as its config space (the same bytes held once: see LinuxPlatform). */
    public RawPciFunction withConfig(byte[] other) {
        return new RawPciFunction(address, linkTarget, other, vendorId, deviceId, subsystemVendorId, subsystemId,
                classCode, revision, resourceLines, driver, iommuGroup, numaNode, resetMethod, bootVga, driverOverride,
                physicalFunction, irq, msiIrqs);
    }
}
