package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.DeviceFacts.Reset;

/**
 * Reset between owners: function-level reset, PM reset (D3hot-D0 when NoSoftRst is clear) or a
 * secondary bus reset when the function is alone on its bus. The OS's own list ({@code reset_method}) is
 * used when present, but its {@code bus} entry is not trusted on a bus shared with other functions (the
 * kernel offers it to the first function it enumerates there). Silent where the platform does not tell.
 */
final class ResetRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        Reset r = ctx.facts().reset();
        if (r == null || ctx.facts().type().bridge()) {
            return List.of();
        }
        List<String> kernel = r.kernelMethods();
        int mates = r.busMates();
        boolean busResetUsable = mates == 0 && !r.onRootBus();
        List<Evidence> ev = new ArrayList<>();
        List<String> usable = new ArrayList<>();
        if (!kernel.isEmpty()) {
            ev.add(r.kernelEvidence());
            for (String m : kernel) {
                if (!"bus".equals(m) || busResetUsable) {
                    usable.add(m);
                }
            }
        } else if (r.capabilityEvidence() != null) {
            ev.add(r.capabilityEvidence());
            usable.addAll(r.capabilityMethods());
            if (busResetUsable) {
                usable.add("bus");
            }
        }
        if (mates > 0) {
            ev.add(new Evidence("topology", mates + " other function(s) on the same bus"));
        }
        if (!usable.isEmpty()) {
            return List.of(Reason.info(ReasonCode.RESET_AVAILABLE, "Can be reset: " + String.join(", ", usable) + ".",
                    ev));
        }
        if (kernel.contains("bus")) {
            return List.of(new Reason(ReasonCode.BUS_RESET_SHARED, Severity.WARNING,
                    "Only a secondary bus reset is offered, and it would also reset the other functions on the bus.",
                    ev, "Assign every function on the bus to the same VM, or expect stale device state between uses."));
        }
        if (kernel.isEmpty() && r.capabilityEvidence() == null) {
            return List.of();
        }
        return List.of(new Reason(ReasonCode.NO_RESET, Severity.WARNING,
                "No usable reset method: the device keeps its state between host and guest.", ev,
                "Power-cycle the VM host between uses, or check for a device-specific reset in a newer kernel."));
    }
}
