package org.ddabridge.check.windows;

/**
 * Reason codes only the Windows survey needs (facts Linux cannot observe). Every other Windows reason
 * reuses {@link org.ddabridge.check.ReasonCode} so scripts match the same codes on both platforms.
 */
public final class WindowsReasonCodes {
    /** DeviceType 5 / bridge type 13: the firmware kept PCIe native control. */
    public static final String PCIE_TREATED_AS_PCI = "PcieTreatedAsPci";
    /** The device node is disabled (CM_PROB_DISABLED): resources cannot be checked. */
    public static final String DEVICE_DISABLED = "DeviceDisabled";
    /** Windows reported no AcsCompatibleUpHierarchy value at all. */
    public static final String ACS_PATH_UNKNOWN = "AcsPathUnknown";

    private WindowsReasonCodes() {
    }
}
