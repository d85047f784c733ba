package org.ddabridge.driver.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ddabridge.model.HostUse;
import org.ddabridge.model.PciDevice;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.SysFiles;
/**
 * Finds the PCI functions the host itself depends on: disks behind mounted file systems
 * ({@code proc/mounts} + {@code sys/block} links, through device-mapper slaves), interfaces of the
 * default route ({@code proc/net/route} + {@code sys/class/net} links, through bridge/bond lower
 * devices) and the boot display ({@code boot_vga}).
 */
public final class HostUseReader {
    private static final Pattern PCI_SEGMENT =
            Pattern.compile("[0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");

    private HostUseReader() {
    }

    public static HostUse read(HostRoot root, List<PciDevice> devices) {
        Set<String> bootVga = new LinkedHashSet<>();
        for (PciDevice d : devices) {
            if (d.bootVga()) {
                bootVga.add(d.address());
            }
        }
        Map<String, List<String>> mounts = new TreeMap<>();
        for (Mount m : parseMounts(SysFiles.readLines(root.proc("mounts")))) {
            for (String address : blockDeviceFunctions(root, m.source(), 0)) {
                mounts.computeIfAbsent(address, k -> new ArrayList<>()).add(m.mountPoint());
            }
        }
        Map<String, List<String>> routes = new TreeMap<>();
        for (String iface : parseDefaultRouteInterfaces(SysFiles.readLines(root.proc("net/route")))) {
            for (String address : netFunctions(root, iface, 0)) {
                List<String> l = routes.computeIfAbsent(address, k -> new ArrayList<>());
                if (!l.contains(iface)) {
                    l.add(iface);
                }
            }
        }
        return new HostUse(Set.copyOf(bootVga), Map.copyOf(mounts), Map.copyOf(routes), true);
    }

    /** One {@code proc/mounts} line. */
    public record Mount(String source, String mountPoint, String type) {
    }

    /** Mounts whose source is a block device under {@code /dev/}. */
    public static List<Mount> parseMounts(List<String> lines) {
        List<Mount> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].startsWith("/dev/")) {
                out.add(new Mount(f[0], f[1].replace("\\040", " "), f[2]));
            }
        }
        return out;
    }

    /** Interfaces with a default route (destination and mask 0) in {@code proc/net/route}. */
    public static List<String> parseDefaultRouteInterfaces(List<String> lines) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && !"Iface".equals(f[0]) && "00000000".equals(f[1]) && "00000000".equals(f[7])) {
                out.add(f[0]);
            }
        }
        return List.copyOf(out);
    }

    /** The last PCI function named in a sysfs link target (the one nearest the block/net device). */
    public static String lastPciFunction(String linkTarget) {
        String last = null;
        for (String part : linkTarget.split("/")) {
            Matcher m = PCI_SEGMENT.matcher(part);
            if (m.matches()) {
                last = part;
            }
        }
        return last;
    }

    private static List<String> blockDeviceFunctions(HostRoot root, String source, int depth) {
        if (depth > 4) {
            return List.of();
        }
        String name = source.startsWith("/dev/") ? source.substring(5) : source;
        if (name.startsWith("mapper/")) {
            String dm = dmByName(root, name.substring(7));
            if (dm == null) {
                return List.of();
            }
            name = dm;
        }
        String disk = diskOf(root, name);
        if (disk == null) {
            return List.of();
        }
        Path link = root.sys("block/" + disk);
        List<String> out = new ArrayList<>();
        String pci = lastPciFunction(SysFiles.linkTarget(link));
        if (pci != null) {
            out.add(pci);
        }
        for (String slave : SysFiles.listNames(link.resolve("slaves"))) {
            out.addAll(blockDeviceFunctions(root, slave, depth + 1));
        }
        return out;
    }

    /** The whole disk in {@code sys/block} holding {@code name} (itself, or the disk of a partition). */
    private static String diskOf(HostRoot root, String name) {
        if (Files.exists(root.sys("block/" + name))) {
            return name;
        }
        for (String disk : SysFiles.listNames(root.sys("block"))) {
            if (name.startsWith(disk) && Files.exists(root.sys("block/" + disk + "/" + name))) {
                return disk;
            }
        }
        // Partition directory not in the image: sda1 / nvme0n1p1 / mmcblk0p1 name their disk by prefix.
        for (String disk : SysFiles.listNames(root.sys("block"))) {
            if (name.startsWith(disk) && name.substring(disk.length()).matches("p?[0-9]+")) {
                return disk;
            }
        }
        return null;
    }

    private static String dmByName(HostRoot root, String mapperName) {
        for (String disk : SysFiles.listNames(root.sys("block"))) {
            if (disk.startsWith("dm-")
                    && mapperName.equals(SysFiles.readString(root.sys("block/" + disk + "/dm/name")))) {
                return disk;
            }
        }
        return null;
    }

    private static List<String> netFunctions(HostRoot root, String iface, int depth) {
        if (depth > 4) {
            return List.of();
        }
        Path link = root.sys("class/net/" + iface);
        String pci = lastPciFunction(SysFiles.linkTarget(link));
        if (pci != null) {
            return List.of(pci);
        }
        Map<String, Boolean> lower = new LinkedHashMap<>();
        for (String entry : SysFiles.listNames(link)) {
            if (entry.startsWith("lower_")) {
                lower.put(entry.substring(6), true);
            }
        }
        for (String port : SysFiles.listNames(link.resolve("brif"))) {
            lower.put(port, true);
        }
        List<String> out = new ArrayList<>();
        for (String l : lower.keySet()) {
            out.addAll(netFunctions(root, l, depth + 1));
        }
        return out;
    }
}
