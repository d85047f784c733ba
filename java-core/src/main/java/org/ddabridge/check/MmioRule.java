package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.DeviceFacts.Memory;

import org.ddabridge.model.Bar;
/**
 * The MMIO gap space the device needs in a VM (Microsoft's survey: the device's memory rounded up to MiB),
 * and the VM settings that provide it.
 */
final class MmioRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        Memory mem = ctx.facts().memory();
        if (mem == null || ctx.facts().type().bridge() || ctx.facts().disabled().appliesTo(ctx.target())) {
            return List.of();
        }
        String where = ctx.facts().device().locationPath() == null ? ""
                : " Location path: " + ctx.facts().device().locationPath() + ".";
        List<Evidence> ev = mem.evidence().isEmpty() ? List.of(new Evidence("memory", "none")) : mem.evidence();
        MmioRequirement m = MmioRequirement.of(mem.bars());
        if (m.total() == 0) {
            return List.of(Reason.info(ReasonCode.MMIO_REQUIREMENT, "It has no MMIO space." + where, ev));
        }
        long largest = 0;
        for (Bar b : mem.bars()) {
            if (b.isMemory()) {
                largest = Math.max(largest, b.size());
            }
        }
        String settings = "Hyper-V: Set-VM -VMName <vm> -LowMemoryMappedIoSpace " + MmioRequirement.mb(m.hyperVLow())
                + " -HighMemoryMappedIoSpace " + MmioRequirement.mb(m.hyperVHigh())
                + " (add up all devices assigned to the same VM; GPUs also want -GuestControlledCacheTypes $true). "
                + "QEMU/libvirt: -global q35-pcihost.pci-hole64-size=" + MmioRequirement.qemuSize(m.qemuHole64())
                + " when the 64-bit BARs exceed the default 32 GiB hole.";
        List<Reason> out = new ArrayList<>();
        out.add(new Reason(ReasonCode.MMIO_REQUIREMENT, Severity.INFO,
                "And it requires at least: " + m.totalMiB() + " MB of MMIO gap space. "
                        + MmioRequirement.human(m.belowFourGiB()) + " below 4 GiB (32-bit BARs), "
                        + MmioRequirement.human(m.aboveFourGiB()) + " above (64-bit BARs); largest BAR "
                        + MmioRequirement.human(largest) + "." + where,
                ev, settings));
        // Each target has its own default window: Hyper-V's MMIO gaps, QEMU's 64-bit PCI hole.
        boolean over = ctx.vfio() ? m.aboveFourGiB() > MmioRequirement.QEMU_HOLE64_DEFAULT
                : m.exceedsHyperVDefaults();
        if (over) {
            out.add(new Reason(ReasonCode.MMIO_ABOVE_DEFAULT, Severity.WARNING,
                    ctx.vfio() ? "Needs more 64-bit MMIO space than a QEMU q35 VM gets by default (32 GiB)."
                            : "Needs more MMIO space than a VM gets by default (Hyper-V: 128 MB low, 512 MB high).", ev,
                    settings));
        }
        return out;
    }
}
