package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.Bar;

/** The MMIO gap space the device needs in a VM, and the VM settings that provide it. */
final class MmioRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        List<Bar> bars = ctx.node().device().bars();
        if (bars == null || ctx.node().isBridge()) {
            return List.of();
        }
        MmioRequirement m = MmioRequirement.of(bars);
        if (m.total() == 0) {
            return List.of();
        }
        long largest = 0;
        List<Evidence> ev = new ArrayList<>();
        for (Bar b : bars) {
            if (b.isMemory()) {
                largest = Math.max(largest, b.size());
                ev.add(new Evidence("sys/bus/pci/devices/" + ctx.address() + "/resource", String.format(
                        "BAR%d %s%s size=0x%x", b.index(), b.is64Bit() ? "64-bit" : "32-bit",
                        b.prefetchable() ? " prefetchable" : "", b.size())));
            }
        }
        String settings = "Hyper-V: Set-VM -VMName <vm> -LowMemoryMappedIoSpace " + MmioRequirement.mb(m.hyperVLow())
                + " -HighMemoryMappedIoSpace " + MmioRequirement.mb(m.hyperVHigh())
                + " (add up all devices assigned to the same VM; GPUs also want -GuestControlledCacheTypes $true). "
                + "QEMU/libvirt: -global q35-pcihost.pci-hole64-size=" + MmioRequirement.qemuSize(m.qemuHole64())
                + " when the 64-bit BARs exceed the default 32 GiB hole.";
        List<Reason> out = new ArrayList<>();
        out.add(new Reason(ReasonCode.MMIO_REQUIREMENT, Severity.INFO,
                "Requires at least " + m.totalMiB() + " MB of MMIO gap space (" + MmioRequirement.mb(m.belowFourGiB())
                        + " below 4 GiB for 32-bit BARs, " + MmioRequirement.mb(m.aboveFourGiB())
                        + " above for 64-bit BARs; largest BAR " + MmioRequirement.mb(largest) + ").",
                ev, settings));
        if (m.exceedsHyperVDefaults() || m.aboveFourGiB() > MmioRequirement.QEMU_HOLE64_DEFAULT) {
            out.add(new Reason(ReasonCode.MMIO_ABOVE_DEFAULT, Severity.WARNING,
                    "Needs more MMIO space than a VM gets by default (Hyper-V: 128 MB low, 512 MB high).", ev,
                    settings));
        }
        return out;
    }
}
