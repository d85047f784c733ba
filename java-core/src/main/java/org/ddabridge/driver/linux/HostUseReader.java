package org.ddabridge.driver.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.ddabridge.model.HostUse;
import org.ddabridge.model.PciDevice;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.IoPool;
import org.ddabridge.util.SysFiles;

/**
 * The one reader of what the host itself uses its PCI functions for (the survey's {@code HostUseRule} and
 * dismount's guards both judge its {@link HostUse}):
 * <ul>
 *   <li>storage: each {@code sys/block/*} disk belongs to the nearest PCI function in its link target;
 *       its and its partitions' major:minor are matched against {@code proc/self/mountinfo} (else
 *       {@code proc/1/mountinfo}), their names against {@code proc/mounts} (images captured before
 *       mountinfo was kept) and {@code proc/swaps}; holders ({@code holders/}, e.g. device-mapper) are
 *       followed, so a disk under LVM counts as mounted; a holder that is not mounted still holds the disk;</li>
 *   <li>open device nodes: {@code proc/<pid>/fd/*} links to the function's block devices, NVMe
 *       controllers or {@code /dev/vfio/<group>} (this process excluded);</li>
 *   <li>network: interfaces of the function ({@code <device>/net/*}) with an IPv4 ({@code proc/net/route})
 *       or IPv6 ({@code proc/net/ipv6_route}) default route on them or on a bond/bridge/VLAN stacked above
 *       ({@code upper_*}, {@code master}, and, from the route's side, {@code lower_*} and {@code brif/});</li>
 *   <li>the boot display ({@code boot_vga}, already in {@link PciDevice#bootVga()}).</li>
 * </ul>
 * Every source is fail-soft: what cannot be read is simply not reported.
 */
public final class HostUseReader {
    private static final int MAX_DEPTH = 8;

    private final HostRoot root;
    private final List<MountEntry> mounts;
    private final Set<String> swaps;
    private final Set<String> defaultRouteIfaces;

    private HostUseReader(HostRoot root) {
        this.root = root;
        this.mounts = readMounts(root);
        this.swaps = new HashSet<>();
        for (String l : SysFiles.readLines(root.proc("swaps"))) {
            String first = l.trim().split("\\s+")[0];
            if (first.startsWith("/dev/")) {
                swaps.add(first.substring(first.lastIndexOf('/') + 1));
            }
        }
        this.defaultRouteIfaces = parseDefaultRoutes(SysFiles.readLines(root.proc("net/route")),
                SysFiles.readLines(root.proc("net/ipv6_route")));
    }

    /** Reads every host-use fact for {@code devices} under {@code root}. */
    public static HostUse read(HostRoot root, List<PciDevice> devices) {
        return new HostUseReader(root).readAll(devices);
    }

    private HostUse readAll(List<PciDevice> devices) {
        Set<String> bootVga = new TreeSet<>();
        Map<String, List<String>> mounted = new TreeMap<>();
        Set<String> rootDisk = new TreeSet<>();
        Map<String, List<String>> heldBy = new TreeMap<>();
        Map<String, Set<String>> nodes = new HashMap<>();
        Set<String> known = new HashSet<>();
        // Each function's directory listed once, its nvme/ and net/ only when there (most functions have neither,
        // and a lookup of an absent name costs Java an exception): in parallel, like the functions' own reads.
        Path devicesDir = root.pciDevices();
        List<Children> children = IoPool.map(devices, d -> Children.of(devicesDir.resolve(d.address())));
        List<List<String>> nvme = children.stream().map(Children::nvme).toList();
        List<List<String>> net = children.stream().map(Children::net).toList();
        for (int i = 0; i < devices.size(); i++) {
            PciDevice d = devices.get(i);
            known.add(d.address());
            if (d.bootVga()) {
                bootVga.add(d.address());
            }
            Set<String> n = nodes.computeIfAbsent(d.address(), k -> new LinkedHashSet<>());
            for (String c : nvme.get(i)) {
                n.add("/dev/" + c);
            }
            if (d.iommuGroup() != null) {
                n.add("/dev/vfio/" + d.iommuGroup());
            }
        }
        for (String disk : SysFiles.listNames(root.sys("block"))) {
            Path link = root.sys("block/" + disk);
            String address = lastPciFunction(SysFiles.linkTarget(link));
            if (address == null || !known.contains(address)) {
                continue;
            }
            BlockDevice bd = blockDevice(link);
            bd.devNumbers().keySet().forEach(name -> nodes.get(address).add("/dev/" + name));
            List<String> points = new ArrayList<>();
            mountPoints(bd, points, 0);
            if (!points.isEmpty()) {
                List<String> l = mounted.computeIfAbsent(address, k -> new ArrayList<>());
                points.stream().filter(p -> !l.contains(p)).forEach(l::add);
                if (points.contains("/")) {
                    rootDisk.add(address);
                }
            } else if (!bd.holders().isEmpty()) {
                heldBy.computeIfAbsent(address, k -> new ArrayList<>())
                        .add(disk + " is held by " + bd.holders());
            }
        }
        // From the mount's side too: a device-mapper source names its disks in slaves/ (images keep those).
        for (MountEntry m : mounts) {
            if (m.sourceName() == null) {
                continue;
            }
            for (String address : sourceFunctions(m.sourceName(), 0)) {
                if (known.contains(address)) {
                    List<String> l = mounted.computeIfAbsent(address, k -> new ArrayList<>());
                    if (!l.contains(m.mountPoint())) {
                        l.add(m.mountPoint());
                    }
                    if (m.mountPoint().equals("/")) {
                        rootDisk.add(address);
                    }
                    heldBy.remove(address);
                }
            }
        }
        Map<String, List<String>> openBy = openUsers(nodes);
        Map<String, List<String>> routes = new TreeMap<>();
        for (int i = 0; i < devices.size(); i++) {
            PciDevice d = devices.get(i);
            Set<String> via = new LinkedHashSet<>();
            for (String iface : net.get(i)) {
                via.addAll(defaultRoutesVia(iface));
            }
            if (!via.isEmpty()) {
                routes.put(d.address(), List.copyOf(via));
            }
        }
        // From the route's side too: a bridge/bond whose ports name no upper_ link back.
        for (String iface : defaultRouteIfaces) {
            for (String address : netFunctions(iface, 0)) {
                if (known.contains(address)) {
                    List<String> l = new ArrayList<>(routes.getOrDefault(address, List.of()));
                    if (!l.contains(iface)) {
                        l.add(iface);
                    }
                    routes.put(address, List.copyOf(l));
                }
            }
        }
        // Mount points in mount-table order (the order the host mounted them), swap last.
        List<String> order = new ArrayList<>();
        mounts.forEach(m -> order.add(m.mountPoint()));
        mounted.values().forEach(l -> l.sort(java.util.Comparator.comparingInt(p -> {
            int i = order.indexOf(p);
            return i < 0 ? Integer.MAX_VALUE : i;
        })));
        return new HostUse(Set.copyOf(bootVga), copy(mounted), Set.copyOf(rootDisk), copy(heldBy), copy(openBy),
                copy(routes), true);
    }

    /** A function's NVMe controllers ({@code nvme/}) and network interfaces ({@code net/}). */
    private record Children(List<String> nvme, List<String> net) {
        static Children of(Path dir) {
            List<String> names = SysFiles.listNames(dir);
            return new Children(names.contains("nvme") ? SysFiles.listNames(dir.resolve("nvme")) : List.of(),
                    names.contains("net") ? SysFiles.listNames(dir.resolve("net")) : List.of());
        }
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> m) {
        Map<String, List<String>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(out);
    }

    // ---------------------------------------------------------------- storage

    /** One mounted file system: its device number (mountinfo) or source name (proc/mounts). */
    record MountEntry(String devNumber, String sourceName, String mountPoint) {
    }

    private static List<MountEntry> readMounts(HostRoot root) {
        List<MountEntry> out = new ArrayList<>();
        List<String> mi = SysFiles.readLines(root.proc("self/mountinfo"));
        if (mi.isEmpty()) {
            mi = SysFiles.readLines(root.proc("1/mountinfo"));
        }
        for (String l : mi) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 5) {
                out.add(new MountEntry(f[2], null, unescape(f[4])));
            }
        }
        for (Mount m : parseMounts(SysFiles.readLines(root.proc("mounts")))) {
            out.add(new MountEntry(null, m.source().substring("/dev/".length()), m.mountPoint()));
        }
        return out;
    }

    private static String unescape(String field) {
        return field.replace("\\040", " ");
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
                out.add(new Mount(f[0], unescape(f[1]), f[2]));
            }
        }
        return out;
    }

    /** A disk: its and its partitions' names with major:minor, and the block devices stacked on them. */
    record BlockDevice(String name, Map<String, String> devNumbers, List<String> holders) {
    }

    private BlockDevice blockDevice(Path b) {
        String name = b.getFileName().toString();
        Map<String, String> devs = new java.util.LinkedHashMap<>();
        devs.put(name, SysFiles.readString(b.resolve("dev")));
        List<String> holders = new ArrayList<>(SysFiles.listNames(b.resolve("holders")));
        for (String p : SysFiles.listNames(b)) {
            if (Files.exists(b.resolve(p).resolve("partition"))) {
                devs.put(p, SysFiles.readString(b.resolve(p).resolve("dev")));
                holders.addAll(SysFiles.listNames(b.resolve(p).resolve("holders")));
            }
        }
        return new BlockDevice(name, devs, holders);
    }

    private void mountPoints(BlockDevice bd, List<String> out, int depth) {
        for (Map.Entry<String, String> e : bd.devNumbers().entrySet()) {
            String name = e.getKey();
            String mapper = dmName(name);
            for (MountEntry m : mounts) {
                boolean byNumber = m.devNumber() != null && !e.getValue().isEmpty() && m.devNumber().equals(e.getValue());
                boolean byName = m.sourceName() != null && (m.sourceName().equals(name)
                        || (mapper != null && m.sourceName().equals("mapper/" + mapper)));
                if ((byNumber || byName) && !out.contains(m.mountPoint())) {
                    out.add(m.mountPoint());
                }
            }
            if (swaps.contains(name) && !out.contains("[swap]")) {
                out.add("[swap]");
            }
        }
        if (depth < MAX_DEPTH) {
            for (String h : bd.holders()) {
                Path hb = root.sys("block").resolve(h);
                if (Files.exists(hb)) {
                    mountPoints(blockDevice(hb), out, depth + 1);
                }
            }
        }
        // Partitions absent from an image's sys/block tree: a mount source naming a partition of this disk.
        for (MountEntry m : mounts) {
            if (m.sourceName() != null && m.sourceName().startsWith(bd.name())
                    && m.sourceName().substring(bd.name().length()).matches("p?[0-9]+")
                    && !out.contains(m.mountPoint())) {
                out.add(m.mountPoint());
            }
        }
    }

    /** PCI functions under a mount source ({@code nvme0n1p1}, {@code mapper/vg-root}, {@code dm-0}). */
    private List<String> sourceFunctions(String name, int depth) {
        if (depth > MAX_DEPTH) {
            return List.of();
        }
        if (name.startsWith("mapper/")) {
            String wanted = name.substring("mapper/".length());
            name = null;
            for (String disk : SysFiles.listNames(root.sys("block"))) {
                if (wanted.equals(dmName(disk))) {
                    name = disk;
                }
            }
            if (name == null) {
                return List.of();
            }
        }
        String disk = diskOf(name);
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
            out.addAll(sourceFunctions(slave, depth + 1));
        }
        return out;
    }

    /** The whole disk in {@code sys/block} holding {@code name} (itself, or the disk of a partition). */
    private String diskOf(String name) {
        if (Files.exists(root.sys("block/" + name))) {
            return name;
        }
        for (String disk : SysFiles.listNames(root.sys("block"))) {
            if (name.startsWith(disk) && (Files.exists(root.sys("block/" + disk + "/" + name))
                    || name.substring(disk.length()).matches("p?[0-9]+"))) {
                return disk;
            }
        }
        return null;
    }

    private String dmName(String blockName) {
        if (!blockName.startsWith("dm-")) {
            return null;
        }
        String n = SysFiles.readString(root.sys("block/" + blockName + "/dm/name"));
        return n.isEmpty() ? null : n;
    }

    // ---------------------------------------------------------------- open device nodes

    private Map<String, List<String>> openUsers(Map<String, Set<String>> nodesByAddress) {
        Map<String, String> addressOfNode = new HashMap<>();
        nodesByAddress.forEach((a, nodes) -> nodes.forEach(n -> addressOfNode.put(n, a)));
        Map<String, List<String>> out = new TreeMap<>();
        if (addressOfNode.isEmpty()) {
            return out;
        }
        String self = String.valueOf(ProcessHandle.current().pid());
        for (String pid : SysFiles.listNames(root.proc(""))) {
            if (!pid.chars().allMatch(Character::isDigit) || (root.isLive() && pid.equals(self))) {
                continue;
            }
            Path fdDir = root.proc(pid).resolve("fd");
            for (String fd : SysFiles.listNames(fdDir)) {
                String target = SysFiles.linkTarget(fdDir.resolve(fd));
                String a = addressOfNode.get(target);
                if (a != null) {
                    String who = pid + " (" + SysFiles.readString(root.proc(pid).resolve("comm")) + ") " + target;
                    List<String> l = out.computeIfAbsent(a, k -> new ArrayList<>());
                    if (!l.contains(who)) {
                        l.add(who);
                    }
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- network

    /** Interfaces with a default route: IPv4 destination and mask 0, IPv6 ::/0 (loopback excluded). */
    public static Set<String> parseDefaultRoutes(List<String> route, List<String> ipv6Route) {
        Set<String> out = new LinkedHashSet<>();
        for (String l : route) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 8 && !"Iface".equals(f[0]) && "00000000".equals(f[1]) && "00000000".equals(f[7])) {
                out.add(f[0]);
            }
        }
        for (String l : ipv6Route) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 10 && f[0].matches("0{32}") && "00".equals(f[1]) && !"lo".equals(f[9])) {
                out.add(f[9]);
            }
        }
        return out;
    }

    /** The default-route interfaces carried by {@code iface} itself or by a bond/bridge/VLAN above it. */
    List<String> defaultRoutesVia(String iface) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(iface));
        while (!todo.isEmpty() && seen.size() < 64) {
            String i = todo.remove(todo.size() - 1);
            if (!seen.add(i)) {
                continue;
            }
            if (defaultRouteIfaces.contains(i)) {
                out.add(i);
            }
            Path dir = root.sys("class/net").resolve(i);
            for (String n : SysFiles.listNames(dir)) {
                if (n.startsWith("upper_")) {
                    todo.add(n.substring("upper_".length()));
                }
            }
            String master = SysFiles.linkName(dir.resolve("master"));
            if (!master.isEmpty()) {
                todo.add(master);
            }
        }
        return out;
    }

    /** PCI functions below {@code iface}: its own device, or those of its lower/bridge-port interfaces. */
    private List<String> netFunctions(String iface, int depth) {
        if (depth > MAX_DEPTH) {
            return List.of();
        }
        Path link = root.sys("class/net/" + iface);
        String pci = lastPciFunction(SysFiles.linkTarget(link));
        if (pci != null) {
            return List.of(pci);
        }
        Set<String> lower = new LinkedHashSet<>();
        for (String entry : SysFiles.listNames(link)) {
            if (entry.startsWith("lower_")) {
                lower.add(entry.substring(6));
            }
        }
        lower.addAll(SysFiles.listNames(link.resolve("brif")));
        List<String> out = new ArrayList<>();
        for (String l : lower) {
            out.addAll(netFunctions(l, depth + 1));
        }
        return out;
    }

    /** The last PCI function named in a sysfs link target (the one nearest the block/net device). */
    public static String lastPciFunction(String linkTarget) {
        String last = null;
        for (String part : linkTarget.split("/")) {
            if (isPciAddress(part)) {
                last = part;
            }
        }
        return last;
    }

    private static boolean isPciAddress(String s) {
        // dddd:bb:dd.f (domain may have up to 8 digits)
        int c1 = s.indexOf(':');
        if (c1 < 4 || c1 > 8 || s.length() != c1 + 8 || s.charAt(c1 + 3) != ':' || s.charAt(c1 + 6) != '.') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (i == c1 || i == c1 + 3 || i == c1 + 6) {
                continue;
            }
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return s.charAt(c1 + 7) >= '0' && s.charAt(c1 + 7) <= '7';
    }
}
