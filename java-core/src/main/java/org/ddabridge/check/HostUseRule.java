package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.HostUse;

/**
 * The host's own use of the device: boot display, disks behind mounted file systems (the root file system
 * named as such), stacked or open block devices, default-route NIC. The only judge of host use: dismount's
 * guards are built from these reasons ({@code assign.HostUseGuards}).
 */
final class HostUseRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        return judge(ctx.address(), ctx.hostUse());
    }

    static List<Reason> judge(String a, HostUse use) {
        List<Reason> out = new ArrayList<>();
        if (use.mounts().containsKey(a)) {
            String points = String.join(", ", use.mounts().get(a));
            boolean root = use.rootDisk().contains(a);
            out.add(new Reason(ReasonCode.HOST_STORAGE, Severity.ERROR,
                    (root ? "The host's root file system is on this device (" + points + ")."
                            : "The host has file systems mounted from this device: " + points + ".")
                            + " Not assignable while they are in use.",
                    List.of(new Evidence("proc/self/mountinfo", String.join(" ", use.mounts().get(a)))),
                    root ? "Never assign the disk holding /: boot the host from another disk first."
                            : "Unmount them (and remove them from fstab) first; never assign the disk holding /."));
        }
        List<String> busy = new ArrayList<>(use.heldBy().getOrDefault(a, List.of()));
        use.openBy().getOrDefault(a, List.of()).forEach(o -> busy.add("open by " + o));
        if (!busy.isEmpty()) {
            out.add(new Reason(ReasonCode.HOST_DEVICE_IN_USE, Severity.WARNING,
                    "The host is using this device: " + String.join("; ", busy) + ".",
                    List.of(new Evidence("proc/*/fd, sys/block/*/holders", String.join("; ", busy))),
                    "Stop the processes and remove the stacked devices (LVM, RAID, dm-crypt) first."));
        }
        if (use.defaultRoute().containsKey(a)) {
            out.add(new Reason(ReasonCode.HOST_NETWORK, Severity.ERROR,
                    "The host's default route goes through this device ("
                            + String.join(", ", use.defaultRoute().get(a)) + ").",
                    List.of(new Evidence("proc/net/route, proc/net/ipv6_route",
                            "default via " + String.join(" ", use.defaultRoute().get(a)))),
                    "Move the host's network to another interface first, or you lose remote access."));
        }
        if (use.isBootVga(a)) {
            out.add(new Reason(ReasonCode.HOST_BOOT_DISPLAY, Severity.WARNING,
                    "This is the host's boot display device.",
                    List.of(new Evidence("sys/bus/pci/devices/" + a + "/boot_vga", "1")),
                    "The host console goes away while it is assigned; the guest may need the card's ROM supplied "
                            + "(romfile=) because the shadowed copy is modified."));
        }
        return out;
    }
}
