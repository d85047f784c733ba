package org.ddabridge.driver.windows;

import java.util.List;

import org.ddabridge.survey.PnpDevice;
/**
 * The device properties the Windows backend reads, as (name, format id, property id). Pure Java: the JNA
 * {@code DEVPROPKEY} structures in {@link Cfgmgr32Ext} are built from these, and fixtures key their
 * property bags by {@link Key#name()}.
 */
public final class DevPropKeys {
    /** One DEVPROPKEY: {@code fmtid} GUID text and {@code pid}, and the DEVPROPTYPE Windows stores it as. */
    public record Key(String name, String fmtid, int pid, int type) {
    }

    // devpkey.h: the general device property set {a45c254e-df1c-4efd-8020-67d146a850e0}.
    static final String DEVICE = "{A45C254E-DF1C-4EFD-8020-67D146A850E0}";
    // devpkey.h: {4340a6c5-93fa-4706-972c-7b648008a5a7}, device node status, problem and relations.
    static final String DEVNODE = "{4340A6C5-93FA-4706-972C-7B648008A5A7}";
    // devpkey.h: {78c34fc8-104a-4aca-9ea4-524d52996e57}, DEVPKEY_Device_InstanceId.
    static final String INSTANCE = "{78C34FC8-104A-4ACA-9EA4-524D52996E57}";
    // pciprop.h: every DEVPKEY_PciDevice_* lives under {3ab22e31-8264-4b4e-9af5-a8d2d8e33e62}.
    static final String PCI = "{3AB22E31-8264-4B4E-9AF5-A8D2D8E33E62}";

    // devpkey.h
    public static final Key INSTANCE_ID = new Key("DEVPKEY_Device_InstanceId", INSTANCE, 256, DevPropType.STRING);
    public static final Key DEVICE_DESC = new Key("DEVPKEY_Device_DeviceDesc", DEVICE, 2, DevPropType.STRING);
    public static final Key HARDWARE_IDS = new Key("DEVPKEY_Device_HardwareIds", DEVICE, 3, DevPropType.STRING_LIST);
    public static final Key SERVICE = new Key("DEVPKEY_Device_Service", DEVICE, 6, DevPropType.STRING);
    public static final Key CLASS = new Key("DEVPKEY_Device_Class", DEVICE, 9, DevPropType.STRING);
    public static final Key MANUFACTURER = new Key("DEVPKEY_Device_Manufacturer", DEVICE, 13, DevPropType.STRING);
    public static final Key FRIENDLY_NAME = new Key("DEVPKEY_Device_FriendlyName", DEVICE, 14, DevPropType.STRING);
    public static final Key LOCATION_INFO = new Key("DEVPKEY_Device_LocationInfo", DEVICE, 15, DevPropType.STRING);
    public static final Key BUS_NUMBER = new Key("DEVPKEY_Device_BusNumber", DEVICE, 23, DevPropType.UINT32);
    public static final Key ADDRESS = new Key("DEVPKEY_Device_Address", DEVICE, 30, DevPropType.UINT32);
    public static final Key LOCATION_PATHS = new Key("DEVPKEY_Device_LocationPaths", DEVICE, 37, DevPropType.STRING_LIST);
    public static final Key DEVNODE_STATUS = new Key("DEVPKEY_Device_DevNodeStatus", DEVNODE, 2, DevPropType.UINT32);
    public static final Key PROBLEM_CODE = new Key("DEVPKEY_Device_ProblemCode", DEVNODE, 3, DevPropType.UINT32);
    public static final Key PARENT = new Key("DEVPKEY_Device_Parent", DEVNODE, 8, DevPropType.STRING);

    // pciprop.h
    public static final Key PCI_DEVICE_TYPE = new Key("DEVPKEY_PciDevice_DeviceType", PCI, 1, DevPropType.UINT32);
    public static final Key PCI_BASE_CLASS = new Key("DEVPKEY_PciDevice_BaseClass", PCI, 3, DevPropType.BYTE);
    public static final Key PCI_SUB_CLASS = new Key("DEVPKEY_PciDevice_SubClass", PCI, 4, DevPropType.BYTE);
    public static final Key PCI_PROG_IF = new Key("DEVPKEY_PciDevice_ProgIf", PCI, 5, DevPropType.BYTE);
    public static final Key PCI_CURRENT_LINK_SPEED = new Key("DEVPKEY_PciDevice_CurrentLinkSpeed", PCI, 9, DevPropType.UINT32);
    public static final Key PCI_CURRENT_LINK_WIDTH = new Key("DEVPKEY_PciDevice_CurrentLinkWidth", PCI, 10, DevPropType.UINT32);
    public static final Key PCI_MAX_LINK_SPEED = new Key("DEVPKEY_PciDevice_MaxLinkSpeed", PCI, 11, DevPropType.UINT32);
    public static final Key PCI_MAX_LINK_WIDTH = new Key("DEVPKEY_PciDevice_MaxLinkWidth", PCI, 12, DevPropType.UINT32);
    public static final Key PCI_INTERRUPT_SUPPORT = new Key("DEVPKEY_PciDevice_InterruptSupport", PCI, 14, DevPropType.UINT32);
    public static final Key PCI_INTERRUPT_MESSAGE_MAXIMUM =
            new Key("DEVPKEY_PciDevice_InterruptMessageMaximum", PCI, 15, DevPropType.UINT32);
    public static final Key PCI_ACS_SUPPORT = new Key("DEVPKEY_PciDevice_AcsSupport", PCI, 29, DevPropType.UINT32);
    public static final Key PCI_ARI_SUPPORT = new Key("DEVPKEY_PciDevice_AriSupport", PCI, 30, DevPropType.BOOLEAN);
    public static final Key PCI_ACS_COMPATIBLE_UP_HIERARCHY =
            new Key("DEVPKEY_PciDevice_AcsCompatibleUpHierarchy", PCI, 31, DevPropType.UINT32);
    public static final Key PCI_ATS_SUPPORT = new Key("DEVPKEY_PciDevice_AtsSupport", PCI, 33, DevPropType.BOOLEAN);
    public static final Key PCI_REQUIRES_RESERVED_MEMORY_REGION =
            new Key("DEVPKEY_PciDevice_RequiresReservedMemoryRegion", PCI, 34, DevPropType.BOOLEAN);

    /**
     * Every key this engine knows (the ones the live source reads and the ones the Linux PnP view gives): the
     * one table {@code Get-PnpDeviceProperty} resolves names and {@code {fmtid} pid} strings with.
     */
    public static final List<Key> KNOWN = List.of(INSTANCE_ID, DEVICE_DESC, HARDWARE_IDS, SERVICE, CLASS,
            MANUFACTURER, FRIENDLY_NAME, LOCATION_INFO, BUS_NUMBER, ADDRESS, LOCATION_PATHS, DEVNODE_STATUS,
            PROBLEM_CODE, PARENT, PCI_DEVICE_TYPE, PCI_BASE_CLASS, PCI_SUB_CLASS, PCI_PROG_IF, PCI_CURRENT_LINK_SPEED,
            PCI_CURRENT_LINK_WIDTH, PCI_MAX_LINK_SPEED, PCI_MAX_LINK_WIDTH, PCI_INTERRUPT_SUPPORT,
            PCI_INTERRUPT_MESSAGE_MAXIMUM, PCI_ACS_SUPPORT, PCI_ARI_SUPPORT, PCI_ACS_COMPATIBLE_UP_HIERARCHY,
            PCI_ATS_SUPPORT, PCI_REQUIRES_RESERVED_MEMORY_REGION);

    /** Everything the live source asks each device node for, in this order. */
    public static final List<Key> ALL = List.of(INSTANCE_ID, DEVICE_DESC, HARDWARE_IDS, SERVICE, CLASS,
            FRIENDLY_NAME, LOCATION_INFO, BUS_NUMBER, ADDRESS, LOCATION_PATHS, PARENT, PCI_DEVICE_TYPE,
            PCI_BASE_CLASS, PCI_SUB_CLASS, PCI_PROG_IF, PCI_CURRENT_LINK_SPEED, PCI_CURRENT_LINK_WIDTH,
            PCI_MAX_LINK_SPEED, PCI_MAX_LINK_WIDTH, PCI_INTERRUPT_SUPPORT, PCI_INTERRUPT_MESSAGE_MAXIMUM,
            PCI_ACS_SUPPORT, PCI_ARI_SUPPORT, PCI_ACS_COMPATIBLE_UP_HIERARCHY, PCI_ATS_SUPPORT,
            PCI_REQUIRES_RESERVED_MEMORY_REGION);

    // pciprop.h DEVPROP_PCIDEVICE_DEVICETYPE / _BRIDGETYPE values.
    public static final int DEVICE_TYPE_PCI_CONVENTIONAL = 0;
    public static final int DEVICE_TYPE_PCI_X = 1;
    public static final int DEVICE_TYPE_PCIE_ENDPOINT = 2;
    public static final int DEVICE_TYPE_PCIE_LEGACY_ENDPOINT = 3;
    public static final int DEVICE_TYPE_PCIE_RC_INTEGRATED_ENDPOINT = 4;
    public static final int DEVICE_TYPE_PCIE_TREATED_AS_PCI = 5;

    // pciprop.h DEVPROP_PCIDEVICE_ACSCOMPATIBLEUPHIERARCHY values.
    public static final int ACS_UP_NOT_SUPPORTED = 0;
    public static final int ACS_UP_SINGLE_FUNCTION_SUPPORTED = 1;
    public static final int ACS_UP_NO_P2P_SUPPORTED = 2;
    public static final int ACS_UP_SUPPORTED = 3;
    /** Newer SDKs' pciprop.h: {@code DevProp_PciDevice_AcsCompatibleUpHierarchy_Enhanced}. */
    public static final int ACS_UP_ENHANCED = 4;

    // pciprop.h DEVPROP_PCIDEVICE_INTERRUPTTYPE bits of DEVPKEY_PciDevice_InterruptSupport.
    public static final int INTERRUPT_LINE_BASED = 1;
    public static final int INTERRUPT_MSI = 2;
    public static final int INTERRUPT_MSIX = 4;

    /** cfg.h: CM_PROB_DISABLED, the device node was disabled (Disable-PnpDevice, Device Manager). */
    public static final int CM_PROB_DISABLED = 22;
    /** cfg.h: DN_HAS_PROBLEM status bit. */
    public static final int DN_HAS_PROBLEM = 0x00000400;

    private DevPropKeys() {
    }

    /** Human name of a DEVPKEY_PciDevice_DeviceType value (pciprop.h enumerator names). */
    public static String deviceTypeName(Integer type) {
        if (type == null) {
            return "absent";
        }
        String[] names = {"PciConventional", "PciX", "PciExpressEndpoint", "PciExpressLegacyEndpoint",
            "PciExpressRootComplexIntegratedEndpoint", "PciExpressTreatedAsPci", "BridgeType_PciConventional",
            "BridgeType_PciX", "BridgeType_PciExpressRootPort", "BridgeType_PciExpressUpstreamSwitchPort",
            "BridgeType_PciExpressDownstreamSwitchPort", "BridgeType_PciExpressToPciXBridge",
            "BridgeType_PciXToExpressBridge", "BridgeType_PciExpressTreatedAsPci",
            "BridgeType_PciExpressEventCollector"};
        return type >= 0 && type < names.length ? names[type] : "unknown(" + type + ")";
    }

    /** Human name of a DEVPKEY_PciDevice_AcsCompatibleUpHierarchy value. */
    public static String acsUpName(Integer value) {
        if (value == null) {
            return "absent";
        }
        switch (value) {
            case ACS_UP_NOT_SUPPORTED:
                return "NotSupported";
            case ACS_UP_SINGLE_FUNCTION_SUPPORTED:
                return "SingleFunctionSupported";
            case ACS_UP_NO_P2P_SUPPORTED:
                return "NoP2PSupported";
            case ACS_UP_SUPPORTED:
                return "Supported";
            case ACS_UP_ENHANCED:
                return "Enhanced";
            default:
                return "unknown(" + value + ")";
        }
    }
}
