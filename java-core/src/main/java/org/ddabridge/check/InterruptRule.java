package org.ddabridge.check;

import java.util.List;

import org.ddabridge.check.PciTopology.Node;

/**
 * Interrupts, after Microsoft's survey: message-signalled (MSI or MSI-X) is what assignment needs;
 * line-based (INTx) only means Hyper-V cannot assign the device; no interrupts at all is fine.
 */
final class InterruptRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        Node n = ctx.node();
        if (n.capabilitiesUnknown() || n.isBridge()) {
            return List.of();
        }
        var d = n.decoded();
        String src = DeviceContext.cfg(n.address());
        if (d.msi() != null || d.msix() != null) {
            String v = (d.msi() != null ? "MSI " + d.msi().count() + " vector(s)" : "")
                    + (d.msi() != null && d.msix() != null ? ", " : "")
                    + (d.msix() != null ? "MSI-X " + d.msix().tableSize() + " vector(s)" : "");
            return List.of(Reason.info(ReasonCode.MESSAGE_SIGNALED_INTERRUPTS,
                    "Its interrupts are message-based, assignment can work.", List.of(new Evidence(src, v))));
        }
        if (d.interruptPin()) {
            return List.of(new Reason(ReasonCode.LINE_INTERRUPTS_ONLY, Severity.ERROR,
                    "All of the interrupts are line-based, no assignment can work.",
                    List.of(new Evidence(src, "interrupt pin set, no MSI/MSI-X capability")),
                    "Hyper-V needs MSI/MSI-X. Linux VFIO can forward INTx (masked via DisINTx), but only if the line "
                            + "is not shared with a host device."));
        }
        return List.of(Reason.info(ReasonCode.NO_INTERRUPTS, "It has no interrupts at all -- assignment can work.",
                List.of(new Evidence(src, "no interrupt pin, no MSI/MSI-X"))));
    }
}
