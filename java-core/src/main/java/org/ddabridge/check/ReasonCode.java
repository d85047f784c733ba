package org.ddabridge.check;

/** The stable reason codes of device rules, the same on every platform (a contract: scripts match on them). */
public final class ReasonCode {
    // Device type (Microsoft's survey order and wording).
    public static final String PCIE_ENDPOINT = "PcieEndpoint";
    public static final String RC_INTEGRATED_ENDPOINT = "RcIntegratedEndpoint";
    public static final String LEGACY_ENDPOINT_DISPLAY = "LegacyEndpointDisplay";
    public static final String LEGACY_ENDPOINT = "LegacyEndpoint";
    public static final String CONVENTIONAL_PCI = "ConventionalPci";
    /**
     * No longer emitted: the Linux view of a conventional function is {@code targets.vfio} (kept so scripts
     * matching on it compile against the constant).
     */
    public static final String LINUX_VFIO_CONVENTIONAL = "LinuxVfioConventional";
    public static final String BEHIND_PCI_BRIDGE = "BehindPciBridge";
    public static final String BRIDGE_OR_PORT = "BridgeOrPort";
    public static final String HOST_BRIDGE = "HostBridge";
    public static final String CONFIG_SPACE_INCOMPLETE = "ConfigSpaceIncomplete";
    /** Windows DeviceType 5: the firmware kept PCIe native control (Linux cannot observe this). */
    public static final String PCIE_TREATED_AS_PCI = "PcieTreatedAsPci";
    // Disabled device node (Windows CM_PROB_DISABLED): resources cannot be checked.
    public static final String DEVICE_DISABLED = "DeviceDisabled";
    // Interrupts.
    public static final String MESSAGE_SIGNALED_INTERRUPTS = "MessageSignaledInterrupts";
    public static final String LINE_INTERRUPTS_ONLY = "LineInterruptsOnly";
    public static final String NO_INTERRUPTS = "NoInterrupts";
    // ACS on the path to the root.
    public static final String ACS_PATH_ISOLATED = "AcsPathIsolated";
    public static final String ACS_PATH_MISSING = "AcsPathMissing";
    public static final String ACS_PATH_UNKNOWN = "AcsPathUnknown";
    // IOMMU group.
    public static final String IOMMU_GROUP_ALONE = "IommuGroupAlone";
    public static final String IOMMU_GROUP_SHARED = "IommuGroupShared";
    public static final String IOMMU_GROUP_HOST_CRITICAL = "IommuGroupHostCritical";
    public static final String IOMMU_GROUP_BOOT_VGA = "IommuGroupBootVga";
    public static final String IOMMU_GROUP_PREDICTION_DIFFERS = "IommuGroupPredictionDiffers";
    // Reset.
    public static final String RESET_AVAILABLE = "ResetAvailable";
    public static final String BUS_RESET_SHARED = "BusResetShared";
    public static final String NO_RESET = "NoReset";
    /** The kernel disables a reset method the device advertises (drivers/pci/quirks.c). */
    public static final String RESET_QUIRK = "ResetQuirk";
    // Kernel DMA-alias quirks (drivers/pci/quirks.c): the device uses another requester id too.
    public static final String DMA_ALIAS_QUIRK = "DmaAliasQuirk";
    public static final String SRIOV_VFS_ENABLED = "SriovVfsEnabled";
    public static final String IOMMU_GROUP_NONE = "IommuGroupNone";
    // The host blocks every assignment now (a failing host check); headline verdict only.
    public static final String HOST_NOT_READY = "HostNotReady";
    // Firmware reserved memory.
    public static final String RESERVED_MEMORY_REGION = "ReservedMemoryRegion";
    // Host use.
    public static final String HOST_BOOT_DISPLAY = "HostBootDisplay";
    public static final String HOST_STORAGE = "HostStorage";
    public static final String HOST_NETWORK = "HostNetwork";
    /** Block devices stacked on the device, or processes holding its device nodes open. */
    public static final String HOST_DEVICE_IN_USE = "HostDeviceInUse";
    // MMIO.
    public static final String MMIO_REQUIREMENT = "MmioRequirement";
    public static final String MMIO_ABOVE_DEFAULT = "MmioAboveHyperVDefault";

    private ReasonCode() {
    }
}
