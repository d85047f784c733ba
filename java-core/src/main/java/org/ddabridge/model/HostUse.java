package org.ddabridge.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the host itself uses PCI functions for, read once by {@code driver.linux.HostUseReader}: the boot
 * display, the disks behind mounted file systems and swap, the disks other block devices are stacked on,
 * the device nodes processes hold open, and the network interfaces of the default routes. The survey's
 * {@code HostUseRule} turns these facts into reasons, and dismount's guards are built from those reasons,
 * so the survey and a dismount can never disagree about a device the host needs.
 *
 * @param bootVga      addresses of boot display devices
 * @param mounts       address -> mount points (and {@code [swap]}) on its block devices, partitions and holders
 * @param rootDisk     addresses whose block devices carry the root file system
 * @param heldBy       address -> "disk is held by [dm-0]" for stacked block devices that are not mounted
 * @param openBy       address -> "pid (comm) /dev/node" for processes holding the function's device nodes open
 * @param defaultRoute address -> interface names carrying an IPv4 or IPv6 default route through it
 * @param known        false when these facts could not be read (offline dump): nothing is known
 */
public record HostUse(Set<String> bootVga, Map<String, List<String>> mounts, Set<String> rootDisk,
        Map<String, List<String>> heldBy, Map<String, List<String>> openBy, Map<String, List<String>> defaultRoute,
        boolean known) {

    /** No facts at all (an lspci dump has no mounts or routes). */
    public static HostUse unknown() {
        return new HostUse(Set.of(), Map.of(), Set.of(), Map.of(), Map.of(), Map.of(), false);
    }

    /** True when the host needs {@code address} to keep running (storage or network). */
    public boolean isCritical(String address) {
        return mounts.containsKey(address) || defaultRoute.containsKey(address);
    }

    public boolean isBootVga(String address) {
        return bootVga.contains(address);
    }
}
