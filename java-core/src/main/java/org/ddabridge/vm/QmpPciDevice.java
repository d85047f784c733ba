package org.ddabridge.vm;

/**
 * One PCI function as the VM's {@code query-pci} reports it (guest-side numbering).
 *
 * @param bus          guest bus number (0 for the root bus; a bridge's secondary bus stays 0 until firmware numbers it)
 * @param slot         device number on that bus
 * @param function     function number
 * @param vendor       vendor id
 * @param device       device id
 * @param classCode    16-bit class/subclass ({@code 0x0108} NVMe, {@code 0x0604} PCI bridge)
 * @param qdevId       QEMU's device id ({@code id=}), empty when the device has none
 * @param bridge       secondary-bus facts when the function is a bridge, else null
 */
public record QmpPciDevice(int bus, int slot, int function, int vendor, int device, int classCode, String qdevId,
                           Bridge bridge) {
    public QmpPciDevice {
        qdevId = qdevId == null ? "" : qdevId;
    }

    /**
     * The bridge part of a {@code query-pci} entry.
     *
     * @param secondary   secondary bus number
     * @param subordinate subordinate bus number
     * @param children    how many functions {@code query-pci} lists on the secondary bus
     */
    public record Bridge(int secondary, int subordinate, int children) {
    }

    /** {@code 1b36:0010} form. */
    public String vendorDevice() {
        return String.format("%04x:%04x", vendor, device);
    }
}
