package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

/** The host's own use of the device: boot display, disks behind mounted file systems, default-route NIC. */
final class HostUseRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        String a = ctx.address();
        var use = ctx.hostUse();
        List<Reason> out = new ArrayList<>();
        if (use.mounts().containsKey(a)) {
            out.add(new Reason(ReasonCode.HOST_STORAGE, Severity.ERROR,
                    "The host has file systems mounted from this device: " + String.join(", ", use.mounts().get(a))
                            + ". Not assignable while they are in use.",
                    List.of(new Evidence("proc/mounts", String.join(" ", use.mounts().get(a)))),
                    "Unmount them (and remove them from fstab) first; never assign the disk holding /."));
        }
        if (use.defaultRoute().containsKey(a)) {
            out.add(new Reason(ReasonCode.HOST_NETWORK, Severity.ERROR,
                    "The host's default route goes through this device ("
                            + String.join(", ", use.defaultRoute().get(a)) + ").",
                    List.of(new Evidence("proc/net/route", "default via " + String.join(" ", use.defaultRoute().get(a)))),
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
