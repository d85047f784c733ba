package org.ddabridge.testing;

import java.nio.file.Path;

/** Ready-made fake hosts shared by tests. */
public final class FakeHosts {
    private FakeHosts() {
    }

    /** A small q35-like tree: root port -> NVMe, root port -> two-function NIC, a root-bus device. */
    public static FakeSysfs smallQ35(Path dir) {
        FakeSysfs fs = new FakeSysfs(dir);
        fs.function("0000:00:00.0").ids(0x8086, 0x29c0).classCode(0x060000).group(0).add();
        fs.function("0000:00:02.0").ids(0x1b36, 0x000c).classCode(0x060400).driver("pcieport").group(2).add();
        fs.function("0000:01:00.0").parent("0000:00:02.0").ids(0x1b36, 0x0010).subsystem(0x1af4, 0x1100)
                .classCode(0x010802).revision(2).driver("nvme").group(10).numaNode(0).resetMethod("flr bus")
                .resource("0x00000000fe800000 0x00000000fe803fff 0x0000000000140204").add();
        fs.function("0000:00:03.0").ids(0x1b36, 0x000c).classCode(0x060400).driver("pcieport").group(3).add();
        fs.function("0000:02:00.0").parent("0000:00:03.0").ids(0x8086, 0x10d3).classCode(0x020000)
                .driver("e1000e").group(12).add();
        fs.function("0000:02:00.1").parent("0000:00:03.0").ids(0x8086, 0x10d3).classCode(0x020000).group(12).add();
        fs.file("proc/sys/kernel/hostname", "fakehost\n");
        fs.file("proc/cmdline", "intel_iommu=on iommu=pt\n");
        return fs;
    }

}
