package org.ddabridge.assign.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ddabridge.util.HostRoot;
import org.ddabridge.util.SysFiles;
/**
 * What the host itself uses a PCI function for, read under a {@link HostRoot}: block devices (with
 * partitions and holders) and whether they are mounted or swapped on, network interfaces and whether
 * they carry a default route, and processes holding the function's device nodes open.
 *
 * <p>Sources: {@code sys/block/*} (link target names the PCI function), {@code proc/self/mountinfo}
 * (major:minor), {@code proc/swaps}, {@code <device>/net/*}, {@code sys/class/net/<if>/lower_*},
 * {@code proc/net/route}, {@code proc/net/ipv6_route}, {@code proc/<pid>/fd/*}.
 */
public final class HostUseScan {
    private final HostRoot root;
    private final List<String[]> mountinfo;
    private final Set<String> swaps;
    private final Set<String> defaultRouteIfaces;

    public HostUseScan(HostRoot root) {
        this.root = root;
        List<String> mi = SysFiles.readLines(root.proc("self/mountinfo"));
        if (mi.isEmpty()) {
            mi = SysFiles.readLines(root.proc("1/mountinfo"));
        }
        this.mountinfo = mi.stream().map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 5).toList();
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

    /** Interfaces with a default route: IPv4 destination and mask 0, IPv6 ::/0 (loopback excluded). */
    static Set<String> parseDefaultRoutes(List<String> route, List<String> ipv6Route) {
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

    /** A block device of a function: its name, its and its partitions' major:minor, holders. */
    public record BlockDevice(String name, Map<String, String> devNumbers, List<String> holders) {
    }

    /** Block devices whose sysfs path runs through the function (NVMe namespaces, SCSI disks behind AHCI...). */
    public List<BlockDevice> blockDevices(String address) {
        List<BlockDevice> out = new ArrayList<>();
        for (Path b : list(root.sys("block"))) {
            String target = SysFiles.linkTarget(b);
            if (!target.contains("/" + address + "/")) {
                continue;
            }
            out.add(blockDevice(b));
        }
        return out;
    }

    private BlockDevice blockDevice(Path b) {
        String name = b.getFileName().toString();
        Map<String, String> devs = new java.util.LinkedHashMap<>();
        devs.put(name, SysFiles.readString(b.resolve("dev")));
        for (Path p : list(b)) {
            if (Files.exists(p.resolve("partition"))) {
                devs.put(p.getFileName().toString(), SysFiles.readString(p.resolve("dev")));
            }
        }
        List<String> holders = new ArrayList<>();
        for (Path h : list(b.resolve("holders"))) {
            holders.add(h.getFileName().toString());
        }
        for (Path p : list(b)) {
            for (Path h : list(p.resolve("holders"))) {
                holders.add(h.getFileName().toString());
            }
        }
        return new BlockDevice(name, devs, holders);
    }

    /** Mount points (and "[swap]") on the block device, its partitions and (recursively) its holders. */
    public List<String> mountsOf(BlockDevice bd) {
        List<String> out = new ArrayList<>();
        mountsOf(bd, out, 0);
        return out;
    }

    private void mountsOf(BlockDevice bd, List<String> out, int depth) {
        for (Map.Entry<String, String> e : bd.devNumbers().entrySet()) {
            for (String[] f : mountinfo) {
                if (!e.getValue().isEmpty() && f[2].equals(e.getValue())) {
                    out.add(f[4] + " (" + e.getKey() + ")");
                }
            }
            if (swaps.contains(e.getKey())) {
                out.add("[swap] (" + e.getKey() + ")");
            }
        }
        if (depth < 8) {
            for (String h : bd.holders()) {
                Path hb = root.sys("block").resolve(h);
                if (Files.exists(hb)) {
                    mountsOf(blockDevice(hb), out, depth + 1);
                }
            }
        }
    }

    /** Network interfaces of the function ({@code <device>/net/*}). */
    public List<String> interfaces(String address) {
        List<String> out = new ArrayList<>();
        for (Path p : list(root.pciDevices().resolve(address).resolve("net"))) {
            out.add(p.getFileName().toString());
        }
        return out;
    }

    /** The default-route interfaces carried by {@code iface} itself or by a bond/bridge/VLAN above it. */
    public List<String> defaultRoutesVia(String iface) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(iface));
        while (!todo.isEmpty()) {
            String i = todo.remove(todo.size() - 1);
            if (!seen.add(i)) {
                continue;
            }
            if (defaultRouteIfaces.contains(i)) {
                out.add(i);
            }
            // upper_<name> links point at the interfaces stacked on this one (bond master, bridge, VLAN).
            for (Path p : list(root.sys("class/net").resolve(i))) {
                String n = p.getFileName().toString();
                if (n.startsWith("upper_")) {
                    todo.add(n.substring("upper_".length()));
                }
            }
            String master = SysFiles.linkName(root.sys("class/net").resolve(i).resolve("master"));
            if (!master.isEmpty()) {
                todo.add(master);
            }
        }
        return out;
    }

    /** Processes holding any of {@code devNodes} (paths like {@code /dev/nvme0n1}) open: "pid (comm) path". */
    public List<String> openUsers(Set<String> devNodes) {
        List<String> out = new ArrayList<>();
        if (devNodes.isEmpty()) {
            return out;
        }
        long self = ProcessHandle.current().pid();
        for (Path p : list(root.proc(""))) {
            String pid = p.getFileName().toString();
            if (!pid.matches("\\d+") || (root.isLive() && Long.parseLong(pid) == self)) {
                continue;
            }
            for (Path fd : list(p.resolve("fd"))) {
                String t = SysFiles.linkTarget(fd);
                if (devNodes.contains(t)) {
                    out.add(pid + " (" + SysFiles.readString(p.resolve("comm")) + ") " + t);
                }
            }
        }
        return out;
    }

    /** Character devices of an NVMe controller under the function ({@code <device>/nvme/nvme0}). */
    public List<String> nvmeControllers(String address) {
        List<String> out = new ArrayList<>();
        for (Path p : list(root.pciDevices().resolve(address).resolve("nvme"))) {
            out.add(p.getFileName().toString());
        }
        return out;
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        } catch (IOException | SecurityException e) {
            return out;
        }
        out.sort(null);
        return out;
    }
}
