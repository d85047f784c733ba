package org.ddabridge.model;

import java.util.List;

/**
 * One PCI function as every platform reports it. Field names are the JSON contract (camelCase); ids
 * are lower-case hex strings like {@code lspci -n} prints them.
 *
 * @param address           full {@code 0000:01:00.0} address
 * @param locationPath      Windows-form location path, {@code PCIROOT(0)#PCI(0200)#PCI(0000)}
 * @param instanceId        Windows-form device instance id (see {@code WindowsIdentity})
 * @param vendorId          4 hex digits
 * @param deviceId          4 hex digits
 * @param subsystemVendorId 4 hex digits
 * @param subsystemId       4 hex digits
 * @param revision          2 hex digits
 * @param classCode         6 hex digits: base class, subclass, programming interface
 * @param className         subclass name from pci.ids, or the base class name
 * @param vendorName        from pci.ids, or null
 * @param deviceName        from pci.ids, or null
 * @param driver            bound driver, or null
 * @param iommuGroup        live IOMMU group number, or null when the IOMMU is off
 * @param numaNode          NUMA node, or null when the platform has none
 * @param bars              allocated BARs
 * @param parent            address of the upstream bridge, or null on a root bus
 * @param upstreamBridges   every bridge between this function and the root, nearest first
 * @param physicalFunction  for an SR-IOV virtual function, its physical function; else null
 * @param resetMethods      the kernel's reset methods ({@code reset_method}), empty when unknown
 * @param bootVga           the firmware's boot display device
 * @param driverOverride    the {@code driver_override} value, or null when cleared
 */
public record PciDevice(
        String address,
        String locationPath,
        String instanceId,
        String vendorId,
        String deviceId,
        String subsystemVendorId,
        String subsystemId,
        String revision,
        String classCode,
        String className,
        String vendorName,
        String deviceName,
        String driver,
        Integer iommuGroup,
        Integer numaNode,
        List<Bar> bars,
        String parent,
        List<String> upstreamBridges,
        String physicalFunction,
        List<String> resetMethods,
        boolean bootVga,
        String driverOverride) {

    /** Base class byte, e.g. {@code 0x01} for mass storage. */
    public int baseClass() {
        return Integer.parseInt(classCode.substring(0, 2), 16);
    }

    /** Sub class byte. */
    public int subClass() {
        return Integer.parseInt(classCode.substring(2, 4), 16);
    }

    public PciAddress pciAddress() {
        return PciAddress.parse(address).orElseThrow();
    }
}
