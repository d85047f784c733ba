package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.PciTopology.Node;

/**
 * Device type, after Microsoft's survey: a PCIe endpoint is good; a root-complex integrated endpoint is
 * usable but less isolated; a legacy PCIe endpoint only for display controllers; conventional PCI/PCI-X
 * functions, anything behind a PCIe-to-PCI bridge, bridges and switch ports are not assignable with
 * Hyper-V. Linux VFIO can still pass a conventional function when its IOMMU group holds nothing else but
 * bridges: that is said as a Linux-only warning.
 */
final class DeviceTypeRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        Node n = ctx.node();
        String cls = n.device().classCode();
        List<Evidence> ev = new ArrayList<>();
        ev.add(new Evidence(DeviceContext.cfg(n.address()), "class=" + cls + " header=" + n.decoded().headerType()
                + (n.isPcie() ? " pcie=" + n.portType() : " no PCIe capability")));
        if (n.capabilitiesUnknown()) {
            return List.of(new Reason(ReasonCode.CONFIG_SPACE_INCOMPLETE, Severity.WARNING,
                    "Only " + n.decoded().configSize() + " bytes of configuration space were readable: the device "
                            + "type, interrupts and ACS cannot be checked.", ev,
                    "Run the survey as root (sysfs shows unprivileged readers only the first 64 bytes)."));
        }
        if (n.isBridge() || cls.startsWith("0604") || cls.startsWith("0609")) {
            return List.of(new Reason(ReasonCode.BRIDGE_OR_PORT, Severity.ERROR,
                    "Old-style PCI device, switch port, etc. Not assignable.", ev,
                    "Assign the endpoints below this bridge instead."));
        }
        if (cls.startsWith("0600")) {
            return List.of(new Reason(ReasonCode.HOST_BRIDGE, Severity.ERROR,
                    "Host bridge: part of the chipset, never assignable.", ev, null));
        }
        for (Node up : ctx.topology().upstream(n)) {
            if (!up.isPcie() || "PciePciBridge".equals(up.portType()) || "PciPcieBridge".equals(up.portType())) {
                ev.add(new Evidence("topology", "behind " + up.address() + " ("
                        + (up.isPcie() ? up.portType() : "conventional PCI bridge") + ")"));
                List<Reason> out = new ArrayList<>();
                out.add(new Reason(ReasonCode.BEHIND_PCI_BRIDGE, Severity.ERROR,
                        "Behind a PCIe-to-PCI bridge: old-style PCI device. Not assignable with Hyper-V.", ev,
                        "Use a PCIe device in a PCIe slot."));
                linuxNote(ctx, out);
                return out;
            }
        }
        if (!n.isPcie()) {
            List<Reason> out = new ArrayList<>();
            out.add(new Reason(ReasonCode.CONVENTIONAL_PCI, Severity.ERROR,
                    "Old-style PCI device, switch port, etc. Not assignable with Hyper-V.", ev,
                    "Use a PCI Express device."));
            linuxNote(ctx, out);
            return out;
        }
        switch (n.portType()) {
            case "Endpoint":
                return List.of(new Reason(ReasonCode.PCIE_ENDPOINT, Severity.INFO, "Express Endpoint -- more secure.",
                        ev, null));
            case "RcIntegratedEndpoint":
                return List.of(new Reason(ReasonCode.RC_INTEGRATED_ENDPOINT, Severity.WARNING,
                        "Embedded Endpoint -- less secure.", ev,
                        "Integrated endpoints share the root complex with the host; assign only if you trust the "
                                + "guest."));
            case "LegacyEndpoint":
                if (n.device().baseClass() == 0x03) {
                    return List.of(new Reason(ReasonCode.LEGACY_ENDPOINT_DISPLAY, Severity.WARNING,
                            "Legacy Express Endpoint -- graphics controller.", ev,
                            "Legacy endpoints may use I/O space and locked transactions; supported for graphics "
                                    + "only."));
                }
                return List.of(new Reason(ReasonCode.LEGACY_ENDPOINT, Severity.ERROR,
                        "Legacy, non-VGA PCI device. Not assignable.", ev, null));
            default:
                return List.of(new Reason(ReasonCode.BRIDGE_OR_PORT, Severity.ERROR,
                        "Old-style PCI device, switch port, etc. Not assignable.", ev, null));
        }
    }

    /** Linux VFIO can take a conventional function whose group has no other non-bridge member. */
    private static void linuxNote(DeviceContext ctx, List<Reason> out) {
        List<String> others = new ArrayList<>();
        for (String a : ctx.effectiveGroup()) {
            Node m = ctx.topology().node(a);
            if (!a.equals(ctx.address()) && m != null && !m.isBridge()) {
                others.add(a);
            }
        }
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
