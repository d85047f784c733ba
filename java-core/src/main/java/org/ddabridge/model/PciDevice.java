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
 * @param irq               the kernel's IRQ of the function ({@code irq}: the INTx line, or the first message
 *                          vector while MSI is on), or null when absent or 0 (dumps, Windows)
 * @param msiIrqs           the message vectors (MSI or MSI-X) the kernel allocated ({@code msi_irqs}), sorted;
 *                          empty when none are allocated or the platform does not tell
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
        String driverOverride,
        Integer irq,
        List<Integer> msiIrqs) {

    /**
     * The {@code driver_override} value that marks a function disabled (the engine's {@code disable},
     * {@code Disable-PnpDevice}): no driver will bind it.
     */
    public static final String DISABLED_OVERRIDE = "ddabridge-disabled";

    public PciDevice {
        msiIrqs = msiIrqs == null ? List.of() : List.copyOf(msiIrqs);
    }

    /** Disabled the way the engine disables a Linux function: the disabling override and no driver bound. */
    public boolean disabledByOverride() {
        return driver == null && DISABLED_OVERRIDE.equals(driverOverride);
    }

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

    /** A builder, so backends name each field instead of passing 24 positional values. */
    public static Builder builder(String address) {
        return new Builder(address);
    }

    /**
     * Builds a {@link PciDevice}. The instance id is derived from the hardware ids and the location path
     * (the Windows form, see {@link WindowsIdentity}) unless a platform reports its own.
     */
    public static final class Builder {
        private final String address;
        private String locationPath;
        private String instanceId;
        private String vendorId = "ffff";
        private String deviceId = "ffff";
        private String subsystemVendorId = "0000";
        private String subsystemId = "0000";
        private String revision = "00";
        private String classCode = "000000";
        private String className;
        private String vendorName;
        private String deviceName;
        private String driver;
        private Integer iommuGroup;
        private Integer numaNode;
        private List<Bar> bars;
        private List<String> upstreamBridges = List.of();
        private String physicalFunction;
        private List<String> resetMethods = List.of();
        private boolean bootVga;
        private String driverOverride;
        private Integer irq;
        private List<Integer> msiIrqs = List.of();

        private Builder(String address) {
            this.address = address;
        }

        /** Hardware ids as 4/2/6 lower-case hex digits. */
        public Builder ids(String vendor, String device, String subVendor, String subDevice, String rev, String cls) {
            this.vendorId = vendor;
            this.deviceId = device;
            this.subsystemVendorId = subVendor;
            this.subsystemId = subDevice;
            this.revision = rev;
            this.classCode = cls;
            return this;
        }

        /** pci.ids names (null when unknown). */
        public Builder names(String cls, String vendor, String device) {
            this.className = cls;
            this.vendorName = vendor;
            this.deviceName = device;
            return this;
        }

        /** The Windows-form location path of the hop chain from the root bus (root first, device last). */
        public Builder location(int rootDomain, int rootBus, List<PciAddress> chain) {
            this.locationPath = WindowsIdentity.locationPath(rootDomain, rootBus, chain);
            return this;
        }

        /** A location path as the platform reports it. */
        public Builder locationPath(String path) {
            this.locationPath = path;
            return this;
        }

        /** An instance id as the platform reports it (else derived at {@link #build()}). */
        public Builder instanceId(String id) {
            this.instanceId = id;
            return this;
        }

        /** Upstream bridges, nearest first; the first is the parent. */
        public Builder upstream(List<String> bridges) {
            this.upstreamBridges = List.copyOf(bridges);
            return this;
        }

        public Builder driver(String d) {
            this.driver = d;
            return this;
        }

        public Builder iommuGroup(Integer g) {
            this.iommuGroup = g;
            return this;
        }

        public Builder numaNode(Integer n) {
            this.numaNode = n;
            return this;
        }

        public Builder bars(List<Bar> b) {
            this.bars = b;
            return this;
        }

        public Builder physicalFunction(String pf) {
            this.physicalFunction = pf;
            return this;
        }

        public Builder resetMethods(List<String> methods) {
            this.resetMethods = List.copyOf(methods);
            return this;
        }

        public Builder bootVga(boolean b) {
            this.bootVga = b;
            return this;
        }

        public Builder driverOverride(String o) {
            this.driverOverride = o;
            return this;
        }

        /** The kernel's allocated interrupts: {@code irq} (null: none) and the {@code msi_irqs} vectors. */
        public Builder kernelInterrupts(Integer line, List<Integer> messageVectors) {
            this.irq = line;
            this.msiIrqs = List.copyOf(messageVectors);
            return this;
        }

        public PciDevice build() {
            String id = instanceId != null ? instanceId : locationPath == null ? null
                    : WindowsIdentity.instanceId(vendorId, deviceId, subsystemVendorId, subsystemId, revision,
                            locationPath);
            return new PciDevice(address, locationPath, id, vendorId, deviceId, subsystemVendorId, subsystemId,
                    revision, classCode, className, vendorName, deviceName, driver, iommuGroup, numaNode, bars,
                    upstreamBridges.isEmpty() ? null : upstreamBridges.get(0), upstreamBridges, physicalFunction,
                    resetMethods, bootVga, driverOverride, irq, msiIrqs);
        }
    }
}
