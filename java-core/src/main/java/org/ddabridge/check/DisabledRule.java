package org.ddabridge.check;

import java.util.List;

/**
 * A disabled device has no allocated resources, so its interrupts and MMIO cannot be checked: Microsoft's
 * survey warns and asks to enable it and re-run ({@link InterruptRule} and {@link MmioRule} stay silent).
 */
final class DisabledRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        DeviceFacts.Disabled d = ctx.facts().disabled();
        if (!d.appliesTo(ctx.target())) {
            return List.of();
        }
        return List.of(new Reason(ReasonCode.DEVICE_DISABLED, Severity.WARNING,
                "Device is disabled: its interrupts and MMIO cannot be checked. Enable it and re-run the survey.",
                List.of(d.evidence()), "Enable-PnpDevice -InstanceId '" + ctx.facts().device().instanceId() + "'"));
    }
}
