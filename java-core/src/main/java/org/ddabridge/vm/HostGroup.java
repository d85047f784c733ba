package org.ddabridge.vm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.PciAddress;

/**
 * A function's IOMMU group as sysfs shows it under a host root ({@code /} live, a fake tree in tests): the members,
 * their drivers, classes and 64-bit memory BAR sizes. Read-only. The whole group moves to a VM together; bridges
 * in it stay on the host.
 *
 * @param number  the group number ({@code /dev/vfio/<number>})
 * @param members every function of the group, by address
 */
public record HostGroup(int number, List<Member> members) {
    public HostGroup {
        members = List.copyOf(members);
    }

    /** {@code IORESOURCE_MEM_64} in the flags column of sysfs {@code resource}. */
    static final long MEM_64 = 0x00100000L;
    /** {@code IORESOURCE_MEM}. */
    static final long MEM = 0x00000200L;

    /**
     * One function of the group.
     *
     * @param address      its address
     * @param driver       bound driver ({@code vfio-pci}), empty when none
     * @param classCode    24-bit class code
     * @param mmio64Bytes  total size of its 64-bit memory BARs (what the VM's 64-bit PCI hole must fit)
     */
    public record Member(PciAddress address, String driver, int classCode, long mmio64Bytes) {
        public boolean bridge() {
            return (classCode >> 8) == 0x0604 || (classCode >> 8) == 0x0600;
        }
    }

    /** The functions that go into a VM: every member that is not a bridge, sorted. */
    public List<PciAddress> endpoints() {
        return members.stream().filter(m -> !m.bridge()).map(Member::address).sorted().toList();
    }

    /** The endpoints' 64-bit MMIO in KiB (0 when none). */
    public long mmio64Kib() {
        long b = members.stream().filter(m -> !m.bridge()).mapToLong(Member::mmio64Bytes).sum();
        return (b + 1023) / 1024;
    }

    /** Endpoints not on vfio-pci. */
    public List<Member> notOnVfio() {
        return members.stream().filter(m -> !m.bridge() && !"vfio-pci".equals(m.driver())).toList();
    }

    /** Reads the group of {@code f} under {@code root}. {@code DeviceNotFound} without function or group. */
    public static HostGroup of(Path root, PciAddress f) {
        Path dev = root.resolve("sys/bus/pci/devices").resolve(f.toString());
        if (!Files.isDirectory(dev)) {
            throw new VmException(VmErrorId.DeviceNotFound, "no PCI function " + f);
        }
        Path g = dev.resolve("iommu_group");
        int n;
        try {
            n = Integer.parseInt(Files.readSymbolicLink(g).getFileName().toString());
        } catch (IOException | NumberFormatException e) {
            throw new VmException(VmErrorId.DeviceNotFound, f + " has no IOMMU group (is the IOMMU on?)");
        }
        List<Member> out = new ArrayList<>();
        Path devices = root.resolve("sys/kernel/iommu_groups").resolve(Integer.toString(n)).resolve("devices");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(devices)) {
            for (Path p : ds) {
                // a name that is no PCI address is no function of the group
                PciAddress a = PciAddress.parse(p.getFileName().toString()).orElse(null);
                if (a == null) {
                    continue;
                }
                Path d = root.resolve("sys/bus/pci/devices").resolve(a.toString());
                out.add(new Member(a, driver(d), classCode(d), mmio64(d)));
            }
        } catch (IOException e) {
            throw new VmException(VmErrorId.IoFailure, "cannot list " + devices + ": " + e.getMessage(), null, e);
        }
        out.sort((x, y) -> x.address().compareTo(y.address()));
        return new HostGroup(n, out);
    }

    private static String driver(Path dev) {
        try {
            return Files.readSymbolicLink(dev.resolve("driver")).getFileName().toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static int classCode(Path dev) {
        try {
            String s = Files.readString(dev.resolve("class")).trim();
            return Integer.parseInt(s.startsWith("0x") ? s.substring(2) : s, 16);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Sums {@code end - start + 1} of the {@code resource} lines flagged 64-bit memory. */
    static long mmio64(Path dev) {
        long sum = 0;
        try {
            for (String line : Files.readAllLines(dev.resolve("resource"))) {
                String[] c = line.trim().split("\\s+");
                if (c.length < 3) {
                    continue;
                }
                long start = Long.parseUnsignedLong(c[0].replaceFirst("^0x", ""), 16);
                long end = Long.parseUnsignedLong(c[1].replaceFirst("^0x", ""), 16);
                long flags = Long.parseUnsignedLong(c[2].replaceFirst("^0x", ""), 16);
                if ((flags & MEM) != 0 && (flags & MEM_64) != 0 && end > start) {
                    sum += end - start + 1;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return sum;
        }
        return sum;
    }
}
