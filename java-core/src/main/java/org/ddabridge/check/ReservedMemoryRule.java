package org.ddabridge.check;

import java.util.List;

/**
 * Firmware-reserved memory: the device keeps DMA-ing into BIOS-owned memory (Linux: named in a DMAR RMRR
 * scope or an AMD IVRS IVMD block; Windows: DEVPKEY_PciDevice_RequiresReservedMemoryRegion). Microsoft's
 * survey checks it first.
 */
final class ReservedMemoryRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        DeviceFacts.ReservedMemory rm = ctx.facts().reservedMemory();
        if (!rm.required()) {
            return List.of();
        }
        if (ctx.vfio()) {
            // intel-iommu reports RMRRs of USB and graphics devices as relaxable direct regions, which VFIO
            // accepts; every other direct region (any RMRR, AMD IVMD unity maps) makes VFIO refuse the group.
            return List.of(rm.vfioRelaxable()
                    ? new Reason(ReasonCode.RESERVED_MEMORY_REGION, Severity.WARNING,
                            "The firmware reserves memory for this device (USB/graphics RMRR): the kernel relaxes it "
                                    + "and VFIO accepts the device, but firmware DMA into that memory may misbehave "
                                    + "while a guest owns it.", List.of(rm.evidence()),
                            "A firmware setting (e.g. legacy USB support off) may drop the region.")
                    : new Reason(ReasonCode.RESERVED_MEMORY_REGION, Severity.ERROR,
                            "The firmware requires a direct (1:1) mapping of reserved memory for this device: VFIO "
                                    + "refuses to assign it. Not assignable.", List.of(rm.evidence()),
                            "A firmware update or setting may remove the reserved region."));
        }
        var d = ctx.facts().device();
        boolean relaxable = d.baseClass() == 0x03 || d.classCode().startsWith("0c03");
        return List.of(new Reason(ReasonCode.RESERVED_MEMORY_REGION, Severity.ERROR,
                "BIOS requires that this device remain attached to BIOS-owned memory. Not assignable.",
                List.of(rm.evidence()),
                relaxable ? "Linux relaxes RMRRs for USB and graphics devices, so VFIO may still accept it; Hyper-V "
                        + "will not. A firmware update or setting (e.g. legacy USB support off) may drop the RMRR."
                        : "VFIO refuses such devices too. A firmware update or setting may remove the RMRR."));
    }
}
