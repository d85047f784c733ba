package org.ddabridge.check;

import java.util.List;

/**
 * Firmware-reserved memory: a device named in a DMAR RMRR scope keeps DMA-ing into BIOS-owned memory
 * (Hyper-V's DEVPKEY_PciDevice_RequiresReservedMemoryRegion).
 */
final class ReservedMemoryRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        String rmrr = ctx.reservedMemory().get(ctx.address());
        if (rmrr == null) {
            return List.of();
        }
        int base = ctx.node().device().baseClass();
        boolean relaxable = base == 0x03 || ctx.node().device().classCode().startsWith("0c03");
        return List.of(new Reason(ReasonCode.RESERVED_MEMORY_REGION, Severity.ERROR,
                "BIOS requires that this device remain attached to BIOS-owned memory. Not assignable.",
                List.of(new Evidence("sys/firmware/acpi/tables/DMAR", rmrr)),
                relaxable ? "Linux relaxes RMRRs for USB and graphics devices, so VFIO may still accept it; Hyper-V "
                        + "will not. A firmware update or setting (e.g. legacy USB support off) may drop the RMRR."
                        : "VFIO refuses such devices too. A firmware update or setting may remove the RMRR."));
    }
}
