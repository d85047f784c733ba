package org.ddabridge.survey;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.MmioRequirement;

/**
 * The guest MMIO space a SET of devices needs when they go to the same VM (the sums of the survey's
 * per-device figures), with the settings that provide it: Hyper-V's {@code Set-VM
 * -LowMemoryMappedIoSpace/-HighMemoryMappedIoSpace} and QEMU's / libvirt's 64-bit PCI hole. The arithmetic
 * is {@link MmioRequirement}'s, applied to the sums.
 */
public record MmioPlan(List<Device> devices, long belowFourGiB, long aboveFourGiB, long totalMiB, HyperV hyperV,
        Qemu qemu) {

    /** One device's share. */
    public record Device(String address, String locationPath, String instanceId, String deviceName,
            long belowFourGiB, long aboveFourGiB) {
    }

    /** Hyper-V's VM settings. */
    public record HyperV(long lowMemoryMappedIoSpace, long highMemoryMappedIoSpace, boolean guestControlledCacheTypes,
            boolean exceedsDefaults, String command) {
    }

    /** QEMU's and libvirt's 64-bit PCI hole. */
    public record Qemu(long pciHole64Size, boolean needed, long defaultPciHole64Size, String argument, String libvirt) {
    }

    /** The plan for the reported devices of {@code survey}. */
    public static MmioPlan of(SurveyReport survey) {
        long low = 0;
        long high = 0;
        boolean display = false;
        List<Device> devices = new ArrayList<>();
        for (DeviceReport r : survey.reports()) {
            long l = r.mmio() == null ? 0 : r.mmio().belowFourGiB();
            long h = r.mmio() == null ? 0 : r.mmio().aboveFourGiB();
            low += l;
            high += h;
            display |= r.device().classCode() != null && r.device().classCode().startsWith("03");
            devices.add(new Device(r.device().address(), r.device().locationPath(), r.device().instanceId(),
                    r.device().deviceName(), l, h));
        }
        MmioRequirement req = new MmioRequirement(low, high);
        HyperV hv = new HyperV(req.hyperVLow(), req.hyperVHigh(), display, req.exceedsHyperVDefaults(),
                "Set-VM -VMName <vm> -LowMemoryMappedIoSpace " + MmioRequirement.mb(req.hyperVLow())
                        + " -HighMemoryMappedIoSpace " + MmioRequirement.mb(req.hyperVHigh()) + (display ? " -GuestControlledCacheTypes $true" : ""));
        long hole = req.qemuHole64();
        Qemu q = new Qemu(hole, high > MmioRequirement.QEMU_HOLE64_DEFAULT, MmioRequirement.QEMU_HOLE64_DEFAULT,
                "-global q35-pcihost.pci-hole64-size=" + MmioRequirement.qemuSize(hole),
                "<controller type='pci' model='pcie-root'><pcihole64 unit='KiB'>" + (hole / 1024)
                        + "</pcihole64></controller>");
        return new MmioPlan(List.copyOf(devices), low, high, req.totalMiB(), hv, q);
    }
}
