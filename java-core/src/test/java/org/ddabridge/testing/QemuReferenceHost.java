package org.ddabridge.testing;

import java.nio.file.Path;

/**
 * The QEMU q35 guest of the feasibility experiment (research/qemu-e2e.md) as a fake host tree: five
 * ACS-capable pcie-root-ports, two NVMe controllers, a multifunction e1000e pair, a single e1000e, a
 * pcie-pci-bridge with two ne2k_pci cards, ICH9 functions, three virtio-9p devices, and the kernel's
 * groups as observed there (group numbers as with three 9p shares). The {@code noAcs} variant replaces
 * root ports 1 and 2 by functions 00:02.0/00:02.1 of one multifunction slot without ACS.
 */
public final class QemuReferenceHost {
    public static final int RP_ACS_CAP = 0x005f;
    public static final int RP_ACS_CTRL = 0x001d;

    private QemuReferenceHost() {
    }

    public static FakeSysfs build(Path dir, boolean noAcs) {
        FakeSysfs fs = new FakeSysfs(dir);
        fs.device("0000:00:00.0", null, ConfigSpaceBuilder.endpoint(0x8086, 0x29c0, 0x060000).conventionalSize().build())
                .group(0);
        int[] virtio = {1, 7, 8};
        for (int slot : virtio) {
            fs.device(String.format("0000:00:%02x.0", slot), null,
                    ConfigSpaceBuilder.endpoint(0x1af4, 0x1009, 0x000200).msix(2).intx().conventionalSize().build())
                    .driver("virtio-pci").group(slot);
        }
        if (noAcs) {
            fs.device("0000:00:02.0", null, rootPort(0x01, false, true)).driver("pcieport").group(2);
            fs.device("0000:00:02.1", null, rootPort(0x02, false, false)).driver("pcieport").group(2);
        } else {
            fs.device("0000:00:02.0", null, rootPort(0x01, true, false)).driver("pcieport").group(2);
            fs.device("0000:00:03.0", null, rootPort(0x02, true, false)).driver("pcieport").group(3);
        }
        fs.device("0000:00:04.0", null, rootPort(0x03, true, false)).driver("pcieport").group(4);
        fs.device("0000:00:05.0", null, rootPort(0x04, true, false)).driver("pcieport").group(5);
        fs.device("0000:00:06.0", null, rootPort(0x05, true, false)).driver("pcieport").group(6);
        fs.device("0000:00:1f.0", null, ConfigSpaceBuilder.endpoint(0x8086, 0x2918, 0x060100).multifunction()
                .conventionalSize().build()).group(9);
        fs.device("0000:00:1f.2", null, ConfigSpaceBuilder.endpoint(0x8086, 0x2922, 0x010601).msi().intx()
                .conventionalSize().build()).driver("ahci").group(9);
        fs.device("0000:00:1f.3", null, ConfigSpaceBuilder.endpoint(0x8086, 0x2930, 0x0c0500).intx()
                .conventionalSize().build()).group(9);
        String rp1 = "0000:00:02.0";
        String rp2 = noAcs ? "0000:00:02.1" : "0000:00:03.0";
        fs.device("0000:01:00.0", rp1, nvme()).driver("nvme").group(noAcs ? 2 : 10).resetMethod("flr bus")
                .resource("0x00000000fe800000 0x00000000fe803fff 0x0000000000140204");
        fs.device("0000:02:00.0", rp2, nvme()).driver("nvme").group(noAcs ? 2 : 11).resetMethod("flr bus")
                .resource("0x00000000fe600000 0x00000000fe603fff 0x0000000000140204");
        fs.device("0000:03:00.0", "0000:00:04.0", e1000e(true)).driver("e1000e").group(12).resetMethod("pm bus")
                .resource(e1000eResource(0xfe400000L));
        // As in the real guest: only function 0 sets the multifunction bit (hdr 0x80); the kernel still
        // treats 03:00.1 as multifunction because it sits above function 0.
        fs.device("0000:03:00.1", "0000:00:04.0", e1000e(false)).driver("e1000e").group(12).resetMethod("pm")
                .resource(e1000eResource(0xfe420000L));
        fs.device("0000:04:00.0", "0000:00:05.0", e1000e(false)).driver("e1000e").group(13).resetMethod("pm bus")
                .resource(e1000eResource(0xfe200000L));
        fs.device("0000:05:00.0", "0000:00:06.0", ConfigSpaceBuilder.bridge(0x1b36, 0x000e, 5, 6, 6).pcie(7, false).msi()
                .pm(false).build()).group(14).resetMethod("pm bus");
        fs.device("0000:06:01.0", "0000:05:00.0", ne2k()).driver("ne2k-pci").group(14).resetMethod("bus")
                .resource("0x000000000000c000 0x000000000000c0ff 0x0000000000040101");
        fs.device("0000:06:02.0", "0000:05:00.0", ne2k()).driver("ne2k-pci").group(14)
                .resource("0x000000000000c100 0x000000000000c1ff 0x0000000000040101");
        for (int g = 0; g <= 14; g++) {
            fs.groupType(g, "identity");
        }
        fs.bytes("sys/firmware/acpi/tables/DMAR", new DmarBytes(0x01).drhdIncludeAll(0xfed90000L).build());
        fs.dir("sys/class/iommu/dmar0");
        fs.dir("sys/bus/pci/drivers/vfio-pci");
        fs.file("proc/cmdline", "console=ttyS0 intel_iommu=on iommu=pt panic=-1 vfio_e2e_guest=1\n");
        fs.file("proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme de pse hypervisor lahf_lm\n");
        fs.file("proc/interrupts", "           CPU0\n 24:  0  IR-PCI-MSI 1048576-edge  nvme0q0\n"
                + "  1:  9  IR-IO-APIC    1-edge      i8042\n");
        fs.file("dmesg.txt", "[    0.010000] DMAR: IOMMU enabled\n[    0.020000] DMAR: Host address width 39\n"
                + "[    0.030000] DMAR-IR: Enabled IRQ remapping in xapic mode\n"
                + "[    0.500000] iommu: Default domain type: Passthrough (set via kernel command line)\n");
        return fs;
    }

    static byte[] rootPort(int secondary, boolean acs, boolean multifunction) {
        ConfigSpaceBuilder t = ConfigSpaceBuilder.bridge(0x1b36, 0x000c, 0, secondary, secondary).pcie(4, false).msix(1);
        if (multifunction) {
            t.multifunction();
        }
        if (acs) {
            t.acs(RP_ACS_CAP, RP_ACS_CTRL);
        }
        return t.build();
    }

    static byte[] nvme() {
        return ConfigSpaceBuilder.endpoint(0x1b36, 0x0010, 0x010802).msix(65).pcie(0, true).pm(false).intx().build();
    }

    static byte[] e1000e(boolean multifunction) {
        ConfigSpaceBuilder t = ConfigSpaceBuilder.endpoint(0x8086, 0x10d3, 0x020000).pm(false).msi().pcie(0, false).msix(5)
                .intx();
        if (multifunction) {
            t.multifunction();
        }
        return t.build();
    }

    static String[] e1000eResource(long base) {
        return new String[] {
            String.format("0x%016x 0x%016x 0x0000000000040200", base, base + 0x1ffff),
            String.format("0x%016x 0x%016x 0x0000000000040200", base + 0x40000, base + 0x5ffff),
            "0x000000000000c040 0x000000000000c05f 0x0000000000040101",
            String.format("0x%016x 0x%016x 0x0000000000040200", base + 0x60000, base + 0x63fff)};
    }

    static byte[] ne2k() {
        return ConfigSpaceBuilder.endpoint(0x10ec, 0x8029, 0x020000).intx().conventionalSize().build();
    }
}
