package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.ddabridge.check.PciTopology.Node;

/**
 * The Linux kernel's reset quirks ({@code drivers/pci/quirks.c}) as data: devices whose advertised reset the
 * kernel refuses to use. Source of every entry: the kernel's fixup lines for the named quirk function
 * (Linux 6.6 plus the stable patches that added AMD 0x7901 and ASMedia 0x1164).
 *
 * <ul>
 *   <li>{@code quirk_no_flr} (PCI_DEV_FLAGS_NO_FLR_RESET): FLR hangs the device, for both PCIe FLR and AF FLR
 *       (AMD Starship/Matisse audio, USB and PSP functions, Intel 82579LM/V, MediaTek MT7922);</li>
 *   <li>{@code quirk_no_bus_reset} (PCI_DEV_FLAGS_NO_BUS_RESET): the device (Atheros AR9xxx/QCA988x, TI
 *       KeyStone, ASMedia ASM1164, Agere FW643) or a root port above it (Cavium CN8xxx) does not survive a
 *       secondary bus reset;</li>
 *   <li>{@code quirk_no_pm_reset} (PCI_DEV_FLAGS_NO_PM_RESET): AMD/ATI VGA devices keep their state over
 *       D3hot-D0 although they say they would not.</li>
 * </ul>
 */
final class ResetQuirks {
    private static final Set<Long> NO_FLR = Set.of(id(0x1022, 0x1486), id(0x1022, 0x1487), id(0x1022, 0x148c),
            id(0x1022, 0x149c), id(0x1022, 0x7901), id(0x8086, 0x1502), id(0x8086, 0x1503), id(0x14c3, 0x0616));
    private static final Set<Long> NO_BUS_RESET = Set.of(id(0x168c, 0x0030), id(0x168c, 0x0032),
            id(0x168c, 0x0033), id(0x168c, 0x0034), id(0x168c, 0x003c), id(0x168c, 0x003e), id(0x177d, 0xa100),
            id(0x104c, 0xb005), id(0x1b21, 0x1164), id(0x11c1, 0x5900), id(0x11c1, 0x5901));
    private static final int ATI = 0x1002;

    /** What the kernel disables for one function, with the evidence to show. */
    record Disabled(boolean flr, boolean pm, boolean bus, List<Evidence> evidence) {
    }

    private ResetQuirks() {
    }

    /** The quirks that apply to {@code n} (and, for bus reset, to the bridge above it). */
    static Disabled of(Node n, Node parent) {
        List<Evidence> ev = new ArrayList<>();
        long key = id(n.vendor(), n.deviceId());
        String who = String.format("%04x:%04x", n.vendor(), n.deviceId());
        boolean flr = NO_FLR.contains(key);
        if (flr) {
            ev.add(new Evidence("kernel quirk", who + ": quirk_no_flr disables FLR (it hangs the device)"));
        }
        boolean pm = n.vendor() == ATI && n.device().classCode().startsWith("0300");
        if (pm) {
            ev.add(new Evidence("kernel quirk", who + ": quirk_no_pm_reset disables the D3hot-D0 PM reset"));
        }
        boolean bus = NO_BUS_RESET.contains(key);
        if (bus) {
            ev.add(new Evidence("kernel quirk", who + ": quirk_no_bus_reset disables the secondary bus reset"));
        }
        if (parent != null && NO_BUS_RESET.contains(id(parent.vendor(), parent.deviceId()))) {
            bus = true;
            ev.add(new Evidence("kernel quirk", String.format("%s %04x:%04x: quirk_no_bus_reset on the bridge above",
                    parent.address(), parent.vendor(), parent.deviceId())));
        }
        return new Disabled(flr, pm, bus, ev);
    }

    private static long id(int vendor, int device) {
        return (long) vendor << 16 | device;
    }
}
