package org.ddabridge.check;

import java.util.List;

/**
 * Firmware-reserved memory: the device keeps DMA-ing into BIOS-owned memory (Linux: named in a DMAR RMRR
 * scope; Windows: DEVPKEY_PciDevice_RequiresReservedMemoryRegion). Microsoft's survey checks it first.
 */
final class ReservedMemoryRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        DeviceFacts.ReservedMemory rm = ctx.facts().reservedMemory();
        if (!rm.required()) {
            return List.of();
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
