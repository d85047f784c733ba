package org.ddabridge.assign.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.ddabridge.testing.FakeSysfs;
import org.ddabridge.util.HostRoot;
/**
 * Builds fake sysfs/procfs trees shaped like the kernel's (device directories under sys/devices, links
 * from sys/bus/pci/devices, driver and iommu_group links) for assignment tests.
 */
final class FakeHost {
    // Capability ids and PCIe port types (PCI spec), written by hand so the fake is independent of the decoder.
    private static final int CAP_MSIX = 0x11;
    private static final int CAP_PCIE = 0x10;
    private static final int PCIE_ROOT_PORT = 4;
    private static final int PCIE_TO_PCI_BRIDGE = 7;
    final Path root;
    final FakeSysfs fs;

    FakeHost(Path root) {
        this.root = root;
        this.fs = new FakeSysfs(root);
        mkdirs("sys/bus/pci/devices");
        mkdirs("sys/bus/pci/drivers");
        mkdirs("sys/kernel/iommu_groups");
        mkdirs("sys/block");
        mkdirs("proc/self");
        mkdirs("proc/net");
        write("proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1\n");
        write("proc/self/mountinfo", "");
        write("proc/net/route", "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n");
    }

    HostRoot hostRoot() {
        return HostRoot.of(root);
    }

    /** Config space: ids, class, header type; PCIe capability of {@code pcieType} (-1 none); MSI-X when asked. */
    static byte[] config(int vendor, int device, int classCode, int headerType, int pcieType, boolean msix,
            boolean multifunction) {
        byte[] c = new byte[pcieType >= 0 ? 4096 : 256];
        c[0] = (byte) vendor;
        c[1] = (byte) (vendor >> 8);
        c[2] = (byte) device;
        c[3] = (byte) (device >> 8);
        c[9] = (byte) classCode;
        c[10] = (byte) (classCode >> 8);
        c[11] = (byte) (classCode >> 16);
        c[0x0e] = (byte) (headerType | (multifunction ? 0x80 : 0));
        int next = 0;
        if (msix) {
            c[0x40] = CAP_MSIX;
            c[0x41] = 0;
            next = 0x40;
        }
        if (pcieType >= 0) {
            c[0x80] = CAP_PCIE;
            c[0x81] = (byte) next;
            c[0x82] = (byte) ((pcieType << 4) | 2);
            next = 0x80;
        }
        if (next != 0) {
            c[6] = 0x10;
            c[0x34] = (byte) next;
        }
        return c;
    }

    /**
     * A function under {@code chain} (the bridges above it, root first), with {@code driver} ("" none) and
     * IOMMU group (-1 none).
     */
    Path device(String address, List<String> chain, byte[] config, int classCode, String driver, int group) {
        // The one sysfs writer of the tests (FakeSysfs) lays out the function; this host adds the attribute
        // files the assignment code reads.
        FakeSysfs.Device d = fs.device(address, chain.isEmpty() ? null : chain.get(chain.size() - 1), config)
                .attr("class", String.format("0x%06x", classCode))
                .attr("vendor", String.format("0x%02x%02x", config[1], config[0]))
                .attr("device", String.format("0x%02x%02x", config[3], config[2]))
                .attr("driver_override", "(null)");
        write(d.dir() + "/resource", "");
        write(d.dir() + "/uevent", "");
        if (!driver.isEmpty()) {
            d.driver(driver);
        }
        if (group >= 0) {
            d.group(group);
        }
        return root.resolve(d.dir());
    }

    Path driverDir(String driver) {
        return mkdirs("sys/bus/pci/drivers/" + driver);
    }

    /** A block device (with partitions) belonging to the function at {@code devDir}. */
    void block(Path devDir, String name, String dev, String... partitions) {
        try {
            Path b = devDir.resolve("nvme/nvme0").resolve(name);
            Files.createDirectories(b);
            write(b, "dev", dev + "\n");
            int minor = Integer.parseInt(dev.substring(dev.indexOf(':') + 1));
            for (String p : partitions) {
                Path pd = b.resolve(p);
                Files.createDirectories(pd);
                write(pd, "dev", dev.substring(0, dev.indexOf(':') + 1) + (++minor) + "\n");
                write(pd, "partition", "1\n");
            }
            Files.createDirectories(b.resolve("holders"));
            Files.createSymbolicLink(root.resolve("sys/block").resolve(name),
                    Path.of("..").resolve(root.resolve("sys").relativize(b)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void mount(String majMin, String mountPoint, String source) {
        append("proc/self/mountinfo", "30 1 " + majMin + " / " + mountPoint + " rw,relatime - ext4 " + source + " rw\n");
    }

    void defaultRoute(String iface) {
        append("proc/net/route", iface + "\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n");
    }

    void openFd(int pid, String comm, String target) {
        try {
            Path fd = mkdirs("proc/" + pid + "/fd");
            write(fd.getParent(), "comm", comm + "\n");
            Files.createSymbolicLink(fd.resolve("3"), Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** address -> "driver|override" for every function: the state the tests compare. */
    Map<String, String> driverState() {
        Map<String, String> out = new TreeMap<>();
        SimulatedDriverCore sim = new SimulatedDriverCore(hostRoot(), Map.of());
        for (String a : sim.addresses()) {
            out.put(a, sim.driver(a) + "|" + sim.driverOverride(a));
        }
        return out;
    }

    Path mkdirs(String rel) {
        try {
            return Files.createDirectories(root.resolve(rel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(String rel, String text) {
        write(root, rel, text);
    }

    static void write(Path dir, String rel, String text) {
        try {
            Files.createDirectories(dir.resolve(rel).getParent());
            Files.writeString(dir.resolve(rel), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void append(String rel, String text) {
        try {
            Files.writeString(root.resolve(rel), Files.readString(root.resolve(rel)) + text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the reference topology of the QEMU testbed, plus a few hosts' own devices ----------------

    static final String NVME = "0000:01:00.0";
    static final String NVME_ROOT = "0000:02:00.0";
    static final String E1000E_0 = "0000:03:00.0";
    static final String E1000E_1 = "0000:03:00.1";
    static final String NIC_ROUTE = "0000:04:00.0";
    static final String PCI_BRIDGE = "0000:05:00.0";
    static final String NE2K_1 = "0000:06:01.0";
    static final String NE2K_2 = "0000:06:02.0";
    static final String NOACS_PORT = "0000:00:07.0";
    static final String NOACS_NVME = "0000:08:00.0";
    static final String VGA = "0000:00:01.0";
    Path nvmeDir;

    /** Builds the reference-like host. vfio-pci is not loaded (no drivers/vfio-pci) unless asked. */
    FakeHost reference(boolean vfioLoaded) {
        byte[] port = config(0x1b36, 0x000c, 0x060400, 1, PCIE_ROOT_PORT, true, false);
        for (String[] rp : new String[][] {{"0000:00:02.0", "2"}, {"0000:00:03.0", "3"}, {"0000:00:04.0", "4"},
            {"0000:00:05.0", "5"}, {"0000:00:06.0", "6"}}) {
            device(rp[0], List.of(), port, 0x060400, "pcieport", Integer.parseInt(rp[1]));
        }
        byte[] nvme = config(0x1b36, 0x0010, 0x010802, 0, 0, true, false);
        nvmeDir = device(NVME, List.of("0000:00:02.0"), nvme, 0x010802, "nvme", 10);
        block(nvmeDir, "nvme0n1", "259:0");
        Path rootNvme = device(NVME_ROOT, List.of("0000:00:03.0"), nvme, 0x010802, "nvme", 11);
        block(rootNvme, "nvme1n1", "259:10", "nvme1n1p1", "nvme1n1p2");
        mount("259:11", "/", "/dev/nvme1n1p1");
        mount("259:12", "/boot", "/dev/nvme1n1p2");
        byte[] nic = config(0x8086, 0x10d3, 0x020000, 0, 0, true, true);
        device(E1000E_0, List.of("0000:00:04.0"), nic, 0x020000, "e1000e", 12);
        device(E1000E_1, List.of("0000:00:04.0"), nic, 0x020000, "e1000e", 12);
        Path routed = device(NIC_ROUTE, List.of("0000:00:05.0"), config(0x8086, 0x10d3, 0x020000, 0, 0, true, false),
                0x020000, "e1000e", 13);
        mkdirs(root.relativize(routed.resolve("net/eth0")).toString());
        defaultRoute("eth0");
        device(PCI_BRIDGE, List.of("0000:00:06.0"), config(0x1b36, 0x000e, 0x060400, 1,
                PCIE_TO_PCI_BRIDGE, false, false), 0x060400, "", 14);
        byte[] ne2k = config(0x10ec, 0x8029, 0x020000, 0, -1, false, false);
        device(NE2K_1, List.of("0000:00:06.0", PCI_BRIDGE), ne2k, 0x020000, "ne2k-pci", 14);
        device(NE2K_2, List.of("0000:00:06.0", PCI_BRIDGE), ne2k, 0x020000, "ne2k-pci", 14);
        device(NOACS_PORT, List.of(), port, 0x060400, "pcieport", 20);
        device(NOACS_NVME, List.of(NOACS_PORT), nvme, 0x010802, "nvme", 20);
        device(VGA, List.of(), config(0x1234, 0x1111, 0x030000, 0, -1, false, false), 0x030000, "bochs-drm", 1);
        write(root.relativize(root.resolve("sys/bus/pci/devices").resolve(VGA)).toString() + "/boot_vga", "1\n");
        // the IOMMU unit the kernel registers (sys/class/iommu), so the survey's IommuPresent check passes
        mkdirs("sys/class/iommu/dmar0");
        if (vfioLoaded) {
            driverDir("vfio-pci");
        }
        return this;
    }

    /** The natural drivers of the reference host (what the kernel would bind without an override). */
    static Map<String, String> naturalDrivers() {
        Map<String, String> m = new TreeMap<>();
        for (String p : List.of("0000:00:02.0", "0000:00:03.0", "0000:00:04.0", "0000:00:05.0", "0000:00:06.0",
                NOACS_PORT)) {
            m.put(p, "pcieport");
        }
        for (String n : List.of(NVME, NVME_ROOT, NOACS_NVME)) {
            m.put(n, "nvme");
        }
        for (String n : List.of(E1000E_0, E1000E_1, NIC_ROUTE)) {
            m.put(n, "e1000e");
        }
        m.put(NE2K_1, "ne2k-pci");
        m.put(NE2K_2, "ne2k-pci");
        m.put(VGA, "bochs-drm");
        return m;
    }

    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
