package org.ddabridge.check;

import java.util.List;

import org.ddabridge.check.DeviceFacts.Interrupts;

/**
 * Interrupts, after Microsoft's survey: message-signalled (MSI or MSI-X) is what assignment needs;
 * line-based (INTx) only means Hyper-V cannot assign the device (VFIO can: a warning); no interrupts at all
 * is fine.
 */
final class InterruptRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        Interrupts irq = ctx.facts().interrupts();
        if (ctx.facts().disabled().appliesTo(ctx.target())) {
            return List.of();
        }
        return switch (irq.signal()) {
            case UNKNOWN -> List.of();
            case MESSAGE -> List.of(Reason.info(ReasonCode.MESSAGE_SIGNALED_INTERRUPTS,
                    "Its interrupts are message-based, assignment can work.", irq.evidence()));
            case LINE_ONLY -> ctx.vfio() ? List.of(new Reason(ReasonCode.LINE_INTERRUPTS_ONLY, Severity.WARNING,
                    "All of the interrupts are line-based: VFIO forwards INTx (masked with DisINTx when the device "
                            + "supports it, otherwise only while no host device shares the line).", irq.evidence(),
                    "Keep the line unshared (check /proc/interrupts), or use a device with MSI/MSI-X."))
                    : List.of(new Reason(ReasonCode.LINE_INTERRUPTS_ONLY, Severity.ERROR,
                    "All of the interrupts are line-based, no assignment can work.", irq.evidence(),
                    "Hyper-V needs MSI/MSI-X; check whether the driver can enable MSI. Linux VFIO can forward INTx "
                            + "(masked via DisINTx), but only if the line is not shared with a host device."));
            case NONE -> List.of(Reason.info(ReasonCode.NO_INTERRUPTS,
                    "It has no interrupts at all -- assignment can work.", irq.evidence()));
        };
    }
}
