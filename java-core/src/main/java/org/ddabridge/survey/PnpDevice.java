package org.ddabridge.survey;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.Reason;
import org.ddabridge.check.ReasonCode;
import org.ddabridge.check.Target;
import org.ddabridge.model.PciDevice;
/**
 * A PCI function in the shape of Windows' {@code Get-PnpDevice} output (CIM class Win32_PnPEntity), built
 * from Linux facts for the module's opt-in Hyper-V compatibility layer.
 *
 * @param instanceId   Windows-form instance id
 * @param friendlyName pci.ids device name (or the class name)
 * @param pnpClass     Windows setup class ({@link PnpVocabulary#setupClass})
 * @param service      Windows service of the bound driver ({@link PnpVocabulary#service}), null without one
 * @param status       {@code OK}, or {@code Error} when no driver drives the function
 * @param problem      {@code CM_PROB_NONE}, or {@code CM_PROB_FAILED_INSTALL} without a driver
 * @param present      always true (sysfs lists present functions only)
 * @param manufacturer vendor name
 * @param hardwareId   Windows hardware ids, most specific first
 * @param address      the Linux address, for the engine's other commands
 * @param linuxDriver  the Linux driver actually bound
 * @param properties   {@code Get-PnpDeviceProperty} keys and values (DEVPKEY_Device_LocationPaths, …)
 * @param configManagerErrorCode Win32_PnPEntity.ConfigManagerErrorCode: the number of {@code problem}
 * @param resources    the allocated IRQs and memory ranges (Win32_PnPAllocatedResource)
 */
public record PnpDevice(
        String instanceId,
        String friendlyName,
        String pnpClass,
        String service,
        String status,
        String problem,
        boolean present,
        String manufacturer,
        List<String> hardwareId,
        String address,
        String linuxDriver,
        Map<String, Object> properties,
        int configManagerErrorCode,
        PnpResources resources) {

    /** cfg.h problem numbers of the {@code problem} names used here. */
    private static final Map<String, Integer> PROBLEM_NUMBER = Map.of(
            "CM_PROB_NONE", 0, "CM_PROB_DISABLED", 22, "CM_PROB_FAILED_INSTALL", 28);

    /**
     * Every function of a survey, in its order, with the allocated resources numbered over all of them (the
     * numbers do not depend on which functions a caller selects).
     */
    public static List<PnpDevice> all(List<DeviceReport> reports) {
        Map<String, PnpResources> resources = PnpResources.of(reports);
        return reports.stream().map(r -> of(r.device(), r, resources.get(r.device().address()))).toList();
    }

    /** Maps one function. */
    public static PnpDevice of(PciDevice d) {
        return of(d, null, PnpResources.none());
    }

    /**
     * Maps one function; with the survey's report the PCI properties Microsoft's survey reads are added,
     * derived from the same reason codes the checker gives (values as in the SDK's pciprop.h):
     * DEVPKEY_PciDevice_DeviceType, _InterruptSupport (bit 0 line, 1 MSI, 2 MSI-X: the checker tells
     * message-signalled from line-only, so MSI and MSI-X both report 0x6), _AcsCompatibleUpHierarchy
     * (0 NotSupported, 3 Supported) and _RequiresReservedMemoryRegion.
     */
    public static PnpDevice of(PciDevice d, DeviceReport report, PnpResources resources) {
        String name = d.deviceName() != null ? d.deviceName()
                : d.className() != null ? d.className() : "PCI device " + d.vendorId() + ":" + d.deviceId();
        String ven = d.vendorId().toUpperCase(java.util.Locale.ROOT);
        String dev = d.deviceId().toUpperCase(java.util.Locale.ROOT);
        String subsys = (d.subsystemId() + d.subsystemVendorId()).toUpperCase(java.util.Locale.ROOT);
        String rev = d.revision().toUpperCase(java.util.Locale.ROOT);
        List<String> hardwareIds = List.of(
                "PCI\\VEN_" + ven + "&DEV_" + dev + "&SUBSYS_" + subsys + "&REV_" + rev,
                "PCI\\VEN_" + ven + "&DEV_" + dev + "&SUBSYS_" + subsys,
                "PCI\\VEN_" + ven + "&DEV_" + dev + "&CC_" + d.classCode().toUpperCase(java.util.Locale.ROOT),
                "PCI\\VEN_" + ven + "&DEV_" + dev);
        boolean driven = d.driver() != null;
        String pnpClass = PnpVocabulary.setupClass(d);
        String service = PnpVocabulary.service(d);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("DEVPKEY_Device_InstanceId", d.instanceId());
        props.put("DEVPKEY_Device_LocationPaths", List.of(d.locationPath()));
        props.put("DEVPKEY_Device_FriendlyName", name);
        props.put("DEVPKEY_Device_Class", pnpClass);
        props.put("DEVPKEY_Device_Service", service);
        props.put("DEVPKEY_Device_HardwareIds", hardwareIds);
        props.put("DEVPKEY_Device_Manufacturer", d.vendorName());
        props.put("DEVPKEY_Device_Parent", d.parent());
        props.put("DEVPKEY_PciDevice_BaseClass", d.baseClass());
        props.put("DEVPKEY_PciDevice_SubClass", d.subClass());
        props.put("DEVPKEY_PciDevice_ProgIf", Integer.parseInt(d.classCode().substring(4, 6), 16));
        if (report != null) {
            surveyProperties(report, props);
        }
        // driver_override "ddabridge-disabled" is the engine's 'disable' (Disable-PnpDevice): Windows shows
        // such a device as Error / CM_PROB_DISABLED.
        String problem = driven ? "CM_PROB_NONE" : d.disabledByOverride() ? "CM_PROB_DISABLED" : "CM_PROB_FAILED_INSTALL";
        return new PnpDevice(d.instanceId(), name, pnpClass, service, driven ? "OK" : "Error", problem, true,
                d.vendorName(), hardwareIds, d.address(), d.driver(), props, PROBLEM_NUMBER.get(problem), resources);
    }

    /** pciprop.h DEVPKEY_PciDevice_DeviceType values for the checker's device-type reason codes. */
    private static final Map<String, Integer> DEVICE_TYPE = Map.of(
            ReasonCode.CONVENTIONAL_PCI, 0, // DevProp_PciDevice_DeviceType_PciConventional
            ReasonCode.BEHIND_PCI_BRIDGE, 0,
            ReasonCode.PCIE_ENDPOINT, 2, // PciExpressEndpoint
            ReasonCode.LEGACY_ENDPOINT, 3, // PciExpressLegacyEndpoint
            ReasonCode.LEGACY_ENDPOINT_DISPLAY, 3,
            ReasonCode.RC_INTEGRATED_ENDPOINT, 4, // PciExpressRootComplexIntegratedEndpoint
            ReasonCode.PCIE_TREATED_AS_PCI, 5); // PciExpressTreatedAsPci

    private static void surveyProperties(DeviceReport report, Map<String, Object> props) {
        Set<String> codes = new HashSet<>();
        // Windows' properties: read from the Hyper-V judgement, whatever the survey's headline target.
        for (Reason r : report.target(Target.HYPERV).reasons()) {
            codes.add(r.code());
        }
        DEVICE_TYPE.entrySet().stream().filter(e -> codes.contains(e.getKey())).findFirst()
                .ifPresent(e -> props.put("DEVPKEY_PciDevice_DeviceType", e.getValue()));
        if (codes.contains(ReasonCode.MESSAGE_SIGNALED_INTERRUPTS)) {
            props.put("DEVPKEY_PciDevice_InterruptSupport", 0x6);
        } else if (codes.contains(ReasonCode.LINE_INTERRUPTS_ONLY)) {
            props.put("DEVPKEY_PciDevice_InterruptSupport", 0x1);
        } else if (codes.contains(ReasonCode.NO_INTERRUPTS)) {
            props.put("DEVPKEY_PciDevice_InterruptSupport", 0x0);
        }
        if (codes.contains(ReasonCode.ACS_PATH_ISOLATED)) {
            props.put("DEVPKEY_PciDevice_AcsCompatibleUpHierarchy", 3);
        } else if (codes.contains(ReasonCode.ACS_PATH_MISSING)) {
            props.put("DEVPKEY_PciDevice_AcsCompatibleUpHierarchy", 0);
        }
        props.put("DEVPKEY_PciDevice_RequiresReservedMemoryRegion",
                codes.contains(ReasonCode.RESERVED_MEMORY_REGION) ? 1 : 0);
    }
}
