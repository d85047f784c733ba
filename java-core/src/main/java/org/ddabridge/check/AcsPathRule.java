package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.PciTopology.Node;

/**
 * ACS on the whole path to the root: every bridge and port above the device must isolate it (Source
 * Validation, Request Redirect, Completion Redirect, Upstream Forwarding, or a kernel quirk saying the
 * port isolates without them). Hyper-V's "AcsCompatibleUpHierarchy"; on Linux a gap merges IOMMU groups.
 */
final class AcsPathRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        Node n = ctx.node();
        if (n.isBridge() || n.capabilitiesUnknown()) {
            return List.of();
        }
        List<Evidence> ok = new ArrayList<>();
        List<Evidence> bad = new ArrayList<>();
        for (Node up : ctx.topology().upstream(n)) {
            Isolation.Answer a = ctx.isolation().acsEnabled(up);
            (a.isolated() ? ok : bad).add(new Evidence(DeviceContext.cfg(up.address()), a.why()));
        }
        if (bad.isEmpty()) {
            String msg = ok.isEmpty() ? "On the root bus: no bridge between the device and the root complex."
                    : "Every port up to the root isolates the device (ACS).";
            return List.of(Reason.info(ReasonCode.ACS_PATH_ISOLATED, msg, ok));
        }
        List<Evidence> ev = new ArrayList<>(bad);
        ev.addAll(ok);
        return List.of(new Reason(ReasonCode.ACS_PATH_MISSING, Severity.ERROR,
                "Traffic from this device may be redirected to other devices in the system. Not assignable.", ev,
                "Move the card to a slot whose root port supports ACS (often the CPU-attached slots). On Linux the "
                        + "device can still be assigned together with its whole IOMMU group."));
    }
}
