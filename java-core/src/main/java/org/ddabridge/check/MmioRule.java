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
        // Built in place, sized once (javac's inline concatenation starts at 16 characters and grew these two
        // several times per device and target: a large survey's biggest string garbage).
        String settings = new StringBuilder(400)
                .append("Hyper-V: Set-VM -VMName <vm> -LowMemoryMappedIoSpace ").append(MmioRequirement.mb(m.hyperVLow()))
                .append(" -HighMemoryMappedIoSpace ").append(MmioRequirement.mb(m.hyperVHigh()))
                .append(" (add up all devices assigned to the same VM; GPUs also want -GuestControlledCacheTypes $true). ")
                .append("QEMU/libvirt: -global q35-pcihost.pci-hole64-size=").append(MmioRequirement.qemuSize(m.qemuHole64()))
                .append(" when the 64-bit BARs exceed the default 32 GiB hole.").toString();
        String message = new StringBuilder(200 + where.length())
                .append("And it requires at least: ").append(m.totalMiB()).append(" MB of MMIO gap space. ")
                .append(MmioRequirement.human(m.belowFourGiB())).append(" below 4 GiB (32-bit BARs), ")
                .append(MmioRequirement.human(m.aboveFourGiB())).append(" above (64-bit BARs); largest BAR ")
                .append(MmioRequirement.human(largest)).append('.').append(where).toString();
        List<Reason> out = new ArrayList<>();
        out.add(new Reason(ReasonCode.MMIO_REQUIREMENT, Severity.INFO, message, ev, settings));
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
