package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.DeviceFacts.Kind;
import org.ddabridge.check.DeviceFacts.Type;

/**
 * Device type, after Microsoft's survey: a PCIe endpoint is good; a root-complex integrated endpoint is
 * usable but less isolated; a legacy PCIe endpoint only for display controllers; PCIe the firmware treats
 * as PCI, conventional PCI/PCI-X functions, anything behind a PCIe-to-PCI bridge, bridges and switch ports
 * are not assignable with Hyper-V. VFIO's rules differ: vfio-pci binds any type-0 function (never a bridge),
 * so conventional and PCI-X functions, functions behind PCIe-to-PCI bridges, integrated and legacy endpoints
 * are assignable with their IOMMU group (the group rule judges what must move along); only bridges and host
 * bridges are refused.
 */
final class DeviceTypeRule implements DeviceRule {
    static final String OLD_STYLE = "Old-style PCI device, switch port, etc. Not assignable.";

    @Override
    public List<Reason> check(DeviceContext ctx) {
        Type t = ctx.facts().type();
        List<Evidence> ev = new ArrayList<>(t.evidence());
        if (ctx.vfio() && t.kind() != Kind.UNKNOWN) {
            return vfio(ctx, t, ev);
        }
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
            return List.of(new Reason(ReasonCode.BEHIND_PCI_BRIDGE, Severity.ERROR,
                    "Behind a PCIe-to-PCI bridge: old-style PCI device. Not assignable with Hyper-V.", ev,
                    "Use a PCIe device in a PCIe slot."));
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
            case PCI_X:
                return List.of(new Reason(ReasonCode.CONVENTIONAL_PCI, Severity.ERROR, OLD_STYLE, ev,
                        "Use a PCI Express device."));
            default:
                return List.of(new Reason(ReasonCode.BRIDGE_OR_PORT, Severity.ERROR, OLD_STYLE, ev, null));
        }
    }

    /** VFIO: vfio-pci takes every type-0 function; what must move along is the group rule's business. */
    private static List<Reason> vfio(DeviceContext ctx, Type t, List<Evidence> ev) {
        if (t.bridge() || t.kind() == Kind.BRIDGE && t.behindPciBridge() == null) {
            return List.of(new Reason(ReasonCode.BRIDGE_OR_PORT, Severity.ERROR,
                    "Bridge or port: vfio-pci binds only type-0 (endpoint) functions. Not assignable.", ev,
                    "Assign the endpoints below this bridge instead."));
        }
        if (t.kind() == Kind.HOST_BRIDGE) {
            return List.of(new Reason(ReasonCode.HOST_BRIDGE, Severity.ERROR,
                    "Host bridge: part of the chipset, never assignable.", ev, null));
        }
        List<String> others = IommuGroupRule.mustMoveWith(ctx);
        String group = ctx.facts().group() == null ? "" : others.isEmpty()
                ? " Its IOMMU group holds no other device (bridges stay with the host)."
                : " It moves with " + String.join(", ", others) + " (same IOMMU group).";
        if (t.behindPciBridge() != null) {
            ev.add(t.behindPciBridge());
            return List.of(new Reason(ReasonCode.BEHIND_PCI_BRIDGE, Severity.WARNING,
                    "Behind a PCIe-to-PCI bridge: VFIO can assign it, together with everything that shares the "
                            + "bridge's requester id." + group, ev,
                    "Expect line-based interrupts and no function-level reset; assign the whole group to one VM."));
        }
        return switch (t.kind()) {
            case PCIE_ENDPOINT -> List.of(Reason.info(ReasonCode.PCIE_ENDPOINT, "Express Endpoint -- more secure.", ev));
            case RC_INTEGRATED_ENDPOINT -> List.of(Reason.info(ReasonCode.RC_INTEGRATED_ENDPOINT,
                    "Root-complex integrated endpoint: VFIO assigns it like any endpoint of its IOMMU group.", ev));
            case LEGACY_ENDPOINT -> List.of(Reason.info(ctx.facts().device().baseClass() == 0x03
                    ? ReasonCode.LEGACY_ENDPOINT_DISPLAY : ReasonCode.LEGACY_ENDPOINT,
                    "Legacy Express Endpoint: VFIO assigns it (I/O space and locked transactions pass through).", ev));
            case PCIE_TREATED_AS_PCI -> List.of(Reason.info(ReasonCode.PCIE_TREATED_AS_PCI,
                    "The firmware kept PCI Express control (a Windows notion); VFIO does not depend on it.", ev));
            case CONVENTIONAL_PCI, PCI_X -> List.of(new Reason(ReasonCode.CONVENTIONAL_PCI, Severity.WARNING,
                    "Conventional PCI function: VFIO can assign it." + group, ev,
                    "Expect line-based interrupts and no function-level reset."));
            default -> List.of(new Reason(ReasonCode.BRIDGE_OR_PORT, Severity.ERROR,
                    "Bridge or port: vfio-pci binds only endpoints. Not assignable.", ev, null));
        };
    }
}
