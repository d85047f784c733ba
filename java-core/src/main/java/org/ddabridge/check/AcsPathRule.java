package org.ddabridge.check;

import java.util.List;

import org.ddabridge.check.DeviceFacts.AcsPath;

/**
 * ACS on the whole path to the root: every bridge and port above the device must isolate it (Source
 * Validation, Request Redirect, Completion Redirect, Upstream Forwarding, or a kernel quirk saying the
 * port isolates without them). Hyper-V's "AcsCompatibleUpHierarchy"; on Linux a gap merges IOMMU groups.
 */
final class AcsPathRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        AcsPath acs = ctx.facts().acsPath();
        if (ctx.vfio()) {
            return vfio(ctx, acs);
        }
        return switch (acs.status()) {
            case NOT_APPLICABLE -> List.of();
            case UNREADABLE -> List.of(new Reason(ReasonCode.ACS_PATH_UNKNOWN, Severity.WARNING,
                    "ACS on the path to the root could not be checked: a port's extended configuration space was "
                            + "not available.", acs.evidence(),
                    "Survey the host itself as root, or take the dump with lspci -xxxx (4096 bytes per function)."));
            case UNREPORTED -> List.of(new Reason(ReasonCode.ACS_PATH_UNKNOWN, Severity.WARNING,
                    "ACS on the path to the root could not be checked: the platform reports no ACS up-hierarchy "
                            + "value for this device. The survey does not stop here, but Hyper-V may refuse it.",
                    acs.evidence(), null));
            case ISOLATED -> List.of(Reason.info(ReasonCode.ACS_PATH_ISOLATED, acs.onRootBus()
                    ? "On the root bus: no bridge between the device and the root complex."
                    : "Every port up to the root isolates the device (ACS).", acs.evidence()));
            case MISSING -> List.of(new Reason(ReasonCode.ACS_PATH_MISSING, Severity.ERROR,
                    "Traffic from this device may be redirected to other devices in the system. Not assignable.",
                    acs.evidence(),
                    "Move the card to a slot whose root port supports ACS (often the CPU-attached slots), or enable "
                            + "ACS in the firmware setup. On Linux the device can still be assigned together with "
                            + "its whole IOMMU group."));
        };
    }

    /**
     * VFIO does not require ACS: a gap only merges IOMMU groups, which the group rule judges. Unknown ACS
     * matters only while the group is predicted (the kernel's own group is the truth once it exists).
     */
    private static List<Reason> vfio(DeviceContext ctx, AcsPath acs) {
        boolean liveGroup = ctx.facts().group() != null && ctx.facts().group().live();
        return switch (acs.status()) {
            case NOT_APPLICABLE -> List.of();
            case UNREADABLE, UNREPORTED -> List.of(new Reason(ReasonCode.ACS_PATH_UNKNOWN,
                    liveGroup ? Severity.INFO : Severity.WARNING,
                    "ACS on the path to the root could not be checked"
                            + (liveGroup ? "; the kernel's IOMMU group is known, so this does not matter for VFIO."
                                    : ": the predicted IOMMU group may be too small."), acs.evidence(),
                    liveGroup ? null : "Survey the host itself, or take the dump with lspci -xxxx."));
            case ISOLATED -> List.of(Reason.info(ReasonCode.ACS_PATH_ISOLATED, acs.onRootBus()
                    ? "On the root bus: no bridge between the device and the root complex."
                    : "Every port up to the root isolates the device (ACS).", acs.evidence()));
            case MISSING -> List.of(Reason.info(ReasonCode.ACS_PATH_MISSING,
                    "A port on the path to the root does not isolate peer-to-peer traffic (ACS): the kernel puts "
                            + "the devices below it into one IOMMU group, which VFIO assigns as a whole.",
                    acs.evidence()));
        };
    }
}
