package org.ddabridge.model.windows;

import java.util.List;

/**
 * The DDA-relevant facts Windows reports for one PCI function, typed but not judged. Each field names the
 * property it came from; null means Windows did not report it.
 *
 * @param address                      the function's address (key into the snapshot)
 * @param instanceId                   device instance id
 * @param locationPath                 {@code DEVPKEY_Device_LocationPaths[0]}
 * @param friendlyName                 friendly name, else device description
 * @param deviceType                   {@code DEVPKEY_PciDevice_DeviceType}
 * @param baseClass                    {@code DEVPKEY_PciDevice_BaseClass}
 * @param interruptSupport             {@code DEVPKEY_PciDevice_InterruptSupport} bits (1 line, 2 MSI, 4 MSI-X)
 * @param interruptMessageMaximum      {@code DEVPKEY_PciDevice_InterruptMessageMaximum}
 * @param acsCompatibleUpHierarchy     {@code DEVPKEY_PciDevice_AcsCompatibleUpHierarchy}
 * @param acsSupport                   {@code DEVPKEY_PciDevice_AcsSupport}
 * @param requiresReservedMemoryRegion {@code DEVPKEY_PciDevice_RequiresReservedMemoryRegion}
 * @param ariSupport                   {@code DEVPKEY_PciDevice_AriSupport}
 * @param atsSupport                   {@code DEVPKEY_PciDevice_AtsSupport}
 * @param currentLinkSpeed             {@code DEVPKEY_PciDevice_CurrentLinkSpeed}
 * @param currentLinkWidth             {@code DEVPKEY_PciDevice_CurrentLinkWidth}
 * @param maxLinkSpeed                 {@code DEVPKEY_PciDevice_MaxLinkSpeed}
 * @param maxLinkWidth                 {@code DEVPKEY_PciDevice_MaxLinkWidth}
 * @param problemCode                  {@code CM_Get_DevNode_Status} problem, null when unknown
 * @param disabled                     problem is {@code CM_PROB_DISABLED}
 * @param memoryRanges                 allocated memory ranges; null when not read
 * @param interrupts                   allocated interrupt numbers; null when not read
 */
public record WindowsPciFacts(
        String address,
        String instanceId,
        String locationPath,
        String friendlyName,
        Integer deviceType,
        Integer baseClass,
        Integer interruptSupport,
        Integer interruptMessageMaximum,
        Integer acsCompatibleUpHierarchy,
        Integer acsSupport,
        Boolean requiresReservedMemoryRegion,
        Boolean ariSupport,
        Boolean atsSupport,
        Integer currentLinkSpeed,
        Integer currentLinkWidth,
        Integer maxLinkSpeed,
        Integer maxLinkWidth,
        Integer problemCode,
        boolean disabled,
        List<MemoryRange> memoryRanges,
        List<Long> interrupts) {

    /** Allocated memory in bytes (0 when none or not read). */
    public long memoryBytes() {
        long sum = 0;
        if (memoryRanges != null) {
            for (MemoryRange r : memoryRanges) {
                sum += r.size();
            }
        }
        return sum;
    }
}
