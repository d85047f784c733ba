package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.DeviceFacts.Kind;
import org.ddabridge.check.DeviceFacts.Type;

/**
 * Device type, after Microsoft's survey: a PCIe endpoint is good; a root-complex integrated endpoint is
 * usable but less isolated; a legacy PCIe endpoint only for display controllers; PCIe the firmware treats
 * as PCI, conventional PCI/PCI-X functions, anything behind a PCIe-to-PCI bridge, bridges and switch ports
 * are not assignable with Hyper-V. Linux VFIO can still pass a conventional function when its IOMMU group
 * holds nothing else but bridges: that is said as a Linux-only warning (when groups are known).
 */
final class DeviceTypeRule implements DeviceRule {
    static final String OLD_STYLE = "Old-style PCI device, switch port, etc. Not assignable.";

    @Override
    public List<Reason> check(DeviceContext ctx) {
        Type t = ctx.facts().type();
        List<Evidence> ev = new ArrayList<>(t.evidence());
        if (t.kind() == Kind.UNKNOWN) {
            return List.of(new Reason(ReasonCode.CONFIG_SPACE_INCOMPLETE, Severity.WARNING,
                    "Only part of the configuration space was readable: the device type, interrupts and ACS cannot "
                            + "be checked.", ev,
                    "Run the survey as root (sysfs shows unprivileged readers only the first 64 bytes)."));
        }
        if (t.kind() == Kind.BRIDGE && t.behindPciBridge() == null) {
            return List.of(new Reason(ReasonCode.BRIDGE_OR_PORT, Severity.ERROR, OLD_STYLE, ev,
                    "Assign the endpoints below this bridge instead."));
        }
        if (t.kind() == Kind.HOST_BRIDGE) {
            return List.of(new Reason(ReasonCode.HOST_BRIDGE, Severity.ERROR,
                    "Host bridge: part of the chipset, never assignable.", ev, null));
        }
        if (t.behindPciBridge() != null) {
            ev.add(t.behindPciBridge());
            List<Reason> out = new ArrayList<>();
            out.add(new Reason(ReasonCode.BEHIND_PCI_BRIDGE, Severity.ERROR,
                    "Behind a PCIe-to-PCI bridge: old-style PCI device. Not assignable with Hyper-V.", ev,
                    "Use a PCIe device in a PCIe slot."));
            linuxNote(ctx, out);
            return out;
        }
        switch (t.kind()) {
            case PCIE_ENDPOINT:
                return List.of(Reason.info(ReasonCode.PCIE_ENDPOINT, "Express Endpoint -- more secure.", ev));
            case RC_INTEGRATED_ENDPOINT:
                return List.of(new Reason(ReasonCode.RC_INTEGRATED_ENDPOINT, Severity.WARNING,
                        "Embedded Endpoint -- less secure.", ev,
                        "Integrated endpoints share the root complex with the host; assign only if you trust the "
                                + "guest."));
            case LEGACY_ENDPOINT:
                if (ctx.facts().device().baseClass() == 0x03) {
                    return List.of(new Reason(ReasonCode.LEGACY_ENDPOINT_DISPLAY, Severity.WARNING,
                            "Legacy Express Endpoint -- graphics controller.", ev,
                            "Legacy endpoints may use I/O space and locked transactions; supported for graphics "
                                    + "only."));
                }
                return List.of(new Reason(ReasonCode.LEGACY_ENDPOINT, Severity.ERROR,
                        "Legacy, non-VGA PCI device. Not assignable.", ev, null));
            case PCIE_TREATED_AS_PCI:
                return List.of(new Reason(ReasonCode.PCIE_TREATED_AS_PCI, Severity.ERROR,
                        "BIOS kept control of PCI Express for this device. Not assignable.", ev,
                        "Check the firmware's PCIe native control / OS control settings (_OSC)."));
            case CONVENTIONAL_PCI:
            case PCI_X: {
                List<Reason> out = new ArrayList<>();
                out.add(new Reason(ReasonCode.CONVENTIONAL_PCI, Severity.ERROR, OLD_STYLE, ev,
                        "Use a PCI Express device."));
                linuxNote(ctx, out);
                return out;
            }
            default:
                return List.of(new Reason(ReasonCode.BRIDGE_OR_PORT, Severity.ERROR, OLD_STYLE, ev, null));
        }
    }

    /** Linux VFIO can take a conventional function whose group has no other non-bridge member. */
    private static void linuxNote(DeviceContext ctx, List<Reason> out) {
        if (ctx.facts().group() == null) {
            return;
        }
        List<String> others = IommuGroupRule.mustMoveWith(ctx);
        List<Evidence> ev = List.of(new Evidence("iommuGroup", String.join(" ", ctx.effectiveGroup())));
        if (others.isEmpty()) {
            out.add(new Reason(ReasonCode.LINUX_VFIO_CONVENTIONAL, Severity.WARNING,
                    "Linux only: VFIO can assign this conventional PCI function because its IOMMU group holds no "
                            + "other device (bridges stay with the host).", ev,
                    "Expect line-based interrupts and no function-level reset."));
        } else {
            out.add(new Reason(ReasonCode.LINUX_VFIO_CONVENTIONAL, Severity.WARNING,
                    "Linux only: VFIO could assign this conventional PCI function only together with "
                            + String.join(", ", others) + " (same IOMMU group).", ev,
                    "Assign the whole group to one VM, or move the card."));
        }
    }
}
