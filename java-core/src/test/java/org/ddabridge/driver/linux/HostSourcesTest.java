package org.ddabridge.driver.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.model.HostUse;
import org.ddabridge.model.IommuFacts;
import org.ddabridge.model.KernelCmdline;
import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.testing.ConfigSpaceBuilder;
import org.ddabridge.testing.FakeSysfs;

/** Parsing of the host-wide sources (fixtures as text) and reading them from fake trees. */
class HostSourcesTest {
    @TempDir
    Path dir;

    @Test
    void kernelCommandLine() {
        KernelCmdline c = KernelCmdline.parse("BOOT_IMAGE=/vmlinuz root=UUID=x ro quiet intel_iommu=on,sm_on iommu=pt");
        assertTrue(c.iommuRequested());
        assertTrue(c.passthrough());
        assertFalse(c.iommuDisabled());
        assertEquals(List.of("intel_iommu=on,sm_on", "iommu=pt"), c.iommuOptions());
        KernelCmdline off = KernelCmdline.parse("intel_iommu=on intel_iommu=off iommu.passthrough=0");
        assertTrue(off.iommuDisabled(), "the later option wins");
        assertFalse(off.passthrough());
        assertTrue(KernelCmdline.parse("amd_iommu=on iommu.passthrough=1").passthrough());
        assertTrue(KernelCmdline.parse("").iommuOptions().isEmpty());
    }

    @Test
    void procInterrupts() {
        // Fixture: /proc/interrupts of the QEMU guest with intremap=on, and the same with intremap=off
        List<String> on = List.of("           CPU0       CPU1",
                "  0:         45          0  IR-IO-APIC    2-edge      timer",
                " 24:          0          0  IR-PCI-MSI 1048576-edge      nvme0q0",
                " 25:  0  0  DMAR-MSI    0-edge      dmar0");
        List<String> off = List.of("           CPU0", " 24:          0  PCI-MSI 1048576-edge      nvme0q0");
        assertEquals(2, ProcInterrupts.countRemapped(on));
        assertEquals(0, ProcInterrupts.countRemapped(off));
    }

    @Test
    void kernelLog() {
        String log = "[    0.000000] Linux version 6.1.0\n[    0.012345] DMAR: IOMMU enabled\n"
                + "[    0.100000] DMAR-IR: Enabled IRQ remapping in xapic mode\n[    1.0] e1000e: link up\n"
                + "[    0.2] iommu: Default domain type: Passthrough (set via kernel command line)\n";
        List<String> lines = KernelLog.iommuLines(log);
        assertEquals(List.of("DMAR: IOMMU enabled", "DMAR-IR: Enabled IRQ remapping in xapic mode",
                "iommu: Default domain type: Passthrough (set via kernel command line)"), lines);
        assertTrue(KernelLog.irqRemappingEnabled(lines));
        assertTrue(KernelLog.irqRemappingEnabled(List.of("AMD-Vi: Interrupt remapping enabled")));
        assertFalse(KernelLog.irqRemappingEnabled(List.of("DMAR: IOMMU enabled")));
    }

    @Test
    void mountsAndRoutes() {
        // Fixture: /proc/mounts and /proc/net/route of a small server
        List<HostUseReader.Mount> m = HostUseReader.parseMounts(List.of("sysfs /sys sysfs rw 0 0",
                "/dev/nvme0n1p2 / ext4 rw,relatime 0 0", "/dev/mapper/vg-home /home\\040dir xfs rw 0 0"));
        assertEquals(2, m.size());
        assertEquals("/home dir", m.get(1).mountPoint());
        assertEquals(java.util.Set.of("br0"), HostUseReader.parseDefaultRoutes(List.of(
                "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
                "br0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
                "br0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"), List.of()));
        assertEquals("0000:02:00.0", HostUseReader.lastPciFunction(
                "../../devices/pci0000:00/0000:00:1c.0/0000:02:00.0/nvme/nvme0/nvme0n1"));
        assertNull(HostUseReader.lastPciFunction("../../devices/virtual/net/br0"));
    }

    @Test
    void hostUseFollowsDeviceMapperSlavesAndBridgePorts() {
        FakeSysfs fs = new FakeSysfs(dir);
        byte[] rp = ConfigSpaceBuilder.bridge(0x8086, 0x1c10, 0, 1, 1).pcie(4, false).build();
        fs.device("0000:00:1c.0", null, rp);
        fs.device("0000:01:00.0", "0000:00:1c.0",
                ConfigSpaceBuilder.endpoint(0x144d, 0xa808, 0x010802).pcie(0, true).build());
        fs.device("0000:00:1f.6", null, ConfigSpaceBuilder.endpoint(0x8086, 0x15b8, 0x020000).pcie(9, false).build());
        String nvme = fs.deviceDir("0000:01:00.0").substring(4);
        fs.link("sys/block/nvme0n1", "../" + nvme + "/nvme/nvme0/nvme0n1");
        fs.dir(fs.deviceDir("0000:01:00.0") + "/nvme/nvme0/nvme0n1/nvme0n1p3");
        fs.link("sys/block/dm-0", "../devices/virtual/block/dm-0");
        fs.file("sys/devices/virtual/block/dm-0/dm/name", "vg-root\n");
        fs.link("sys/devices/virtual/block/dm-0/slaves/nvme0n1p3",
                "../../../../" + nvme + "/nvme/nvme0/nvme0n1/nvme0n1p3");
        fs.file("proc/mounts", "/dev/mapper/vg-root / ext4 rw 0 0\n/dev/nvme0n1p1 /boot/efi vfat rw 0 0\n");
        fs.link("sys/class/net/br0", "../../devices/virtual/net/br0");
        fs.link("sys/class/net/eno1", "../../" + fs.deviceDir("0000:00:1f.6").substring(4) + "/net/eno1");
        fs.link("sys/devices/virtual/net/br0/brif/eno1", "../../eno1"); // brif entries name the port
        fs.file("proc/net/route", "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
                + "br0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\n");
        var snap = new LinuxPlatform(fs.hostRoot()).snapshot();
        HostUse use = HostUseReader.read(fs.hostRoot(), snap.devices());
        assertTrue(use.known());
        assertEquals(Map.of("0000:01:00.0", List.of("/", "/boot/efi")), use.mounts());
        assertEquals(Map.of("0000:00:1f.6", List.of("br0")), use.defaultRoute());
        assertTrue(use.isCritical("0000:01:00.0"));
        assertFalse(use.isCritical("0000:00:1c.0"));
    }

    @Test
    void iommuFactsFromAFakeTree() {
        FakeSysfs fs = new FakeSysfs(dir);
        fs.file("proc/sys/kernel/osrelease", "6.1.0-56-amd64\n");
        fs.file("lib/modules/6.1.0-56-amd64/kernel/drivers/vfio/pci/vfio-pci.ko.xz", "");
        fs.file("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "Y\n");
        fs.file("proc/cmdline", "quiet amd_iommu=on\n");
        fs.file("sys/firmware/acpi/tables/IVRS", "IVRS");
        fs.file("proc/interrupts", "  24:  0  PCI-MSI 1048576-edge  nvme0q0\n");
        fs.dir("sys/kernel/iommu_groups/0");
        fs.groupType(0, "DMA-FQ");
        IommuFacts f = LinuxIommuFacts.read(fs.hostRoot());
        assertTrue(f.available());
        assertTrue(f.ivrsPresent());
        assertFalse(f.dmarPresent());
        assertEquals(-1, f.dmarFlags());
        assertEquals(1, f.groupCount());
        assertEquals(List.of("DMA-FQ"), f.groupTypes());
        assertEquals(Boolean.TRUE, f.allowUnsafeInterrupts());
        assertFalse(f.vfioPciLoaded());
        assertEquals("lib/modules/6.1.0-56-amd64/kernel/drivers/vfio/pci/vfio-pci.ko.xz", f.vfioPciModuleFile());
        assertEquals(0, f.remappedInterrupts());
        assertFalse(f.kernelLog(), "no dmesg.txt in the image");
    }

    @Test
    void cpuinfoAndMeminfoGiveProcessorsAndMemory() {
        org.junit.jupiter.api.Assertions.assertEquals(Integer.valueOf(2), LinuxHostFacts.parseProcessorCount(java.util.List.of(
                "processor\t: 0", "vendor_id\t: GenuineIntel", "", "processor\t: 1", "flags\t\t: fpu")));
        org.junit.jupiter.api.Assertions.assertNull(LinuxHostFacts.parseProcessorCount(java.util.List.of()));
        org.junit.jupiter.api.Assertions.assertEquals(Long.valueOf(16_384_000L * 1024),
                LinuxHostFacts.parseMemTotal(java.util.List.of("MemTotal:       16384000 kB", "MemFree: 1 kB")));
        org.junit.jupiter.api.Assertions.assertNull(LinuxHostFacts.parseMemTotal(java.util.List.of("MemFree: 1 kB")));
    }
}
