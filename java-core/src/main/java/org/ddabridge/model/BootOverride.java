package org.ddabridge.model;

/**
 * One driver choice the host applies to a PCI function at every boot, as a persistence mechanism records it.
 *
 * @param address   the function's address when it was persisted ({@code 0000:01:00.0}); the key at boot
 * @param driver    the driver the function must get ({@code vfio-pci}; driverctl may name any driver)
 * @param source    which mechanism holds it
 * @param vendorId  4 hex digits recorded with it, or null (driverctl records none)
 * @param deviceId  4 hex digits, or null
 * @param subsystem {@code ssvv:ssid} (4+4 hex digits, like {@code lspci -n}), or null
 * @param file      the file that holds it, relative to the host root ({@code etc/driverctl.d/pci-0000:01:00.0})
 */
public record BootOverride(String address, String driver, Source source, String vendorId, String deviceId,
        String subsystem, String file) {

    /** The mechanisms DdaBridge reads. */
    public enum Source {
        /** DdaBridge's own list ({@code etc/ddabridge/vfio-pci.conf}), applied by its udev rule and initramfs hook. */
        DDABRIDGE("ddabridge"),
        /** driverctl's {@code etc/driverctl.d/pci-<address>} files (its udev rule and systemd unit apply them). */
        DRIVERCTL("driverctl");

        private final String json;

        Source(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    /** True when {@code d} has the identity recorded here (always true when none was recorded). */
    public boolean sameIdentity(PciDevice d) {
        if (vendorId == null || deviceId == null) {
            return true;
        }
        String sub = d.subsystemVendorId() + ":" + d.subsystemId();
        return vendorId.equalsIgnoreCase(d.vendorId()) && deviceId.equalsIgnoreCase(d.deviceId())
                && (subsystem == null || subsystem.equalsIgnoreCase(sub));
    }
}
