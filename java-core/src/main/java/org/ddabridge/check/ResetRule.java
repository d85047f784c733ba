package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.DeviceFacts.Reset;

/**
 * Reset between owners, with the methods the kernel offers: the live {@code reset_method} list when the
 * platform has one, else what the kernel would compute from the configuration space ({@link ResetMethods}:
 * FLR, AF FLR, PM reset, bus reset, kernel quirks applied). A bus reset is not counted when other functions
 * share the bus: it would reset them too (the kernel offers it to the first function it enumerates there,
 * before it has seen the others). Kernel quirks that take a method away are their own reason. Silent where
 * the platform does not tell.
 */
final class ResetRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        Reset r = ctx.facts().reset();
        if (r == null || ctx.facts().type().bridge()) {
            return List.of();
        }
        boolean live = !r.kernelMethods().isEmpty();
        List<String> methods = live ? r.kernelMethods() : r.capabilityMethods();
        int mates = r.busMates();
        List<Evidence> ev = new ArrayList<>();
        if (live) {
            ev.add(r.kernelEvidence());
        } else if (r.capabilityEvidence() != null) {
            ev.add(r.capabilityEvidence());
        }
        List<String> usable = new ArrayList<>();
        for (String m : methods) {
            if (!"bus".equals(m) || (mates == 0 && !r.onRootBus())) {
                usable.add(m);
            }
        }
        if (mates > 0) {
            ev.add(new Evidence("topology", mates + " other function(s) on the same bus"));
        }
        List<Reason> out = new ArrayList<>();
        if (!r.quirks().isEmpty()) {
            out.add(Reason.info(ReasonCode.RESET_QUIRK,
                    "The kernel disables a reset method this device advertises (device quirk).", r.quirks()));
        }
        if (!usable.isEmpty()) {
            out.add(Reason.info(ReasonCode.RESET_AVAILABLE, "Can be reset: " + String.join(", ", usable) + ".", ev));
        } else if (methods.contains("bus")) {
            out.add(new Reason(ReasonCode.BUS_RESET_SHARED, Severity.WARNING,
                    "Only a secondary bus reset is offered, and it would also reset the other functions on the bus.",
                    ev, "Assign every function on the bus to the same VM, or expect stale device state between uses."));
        } else if (live || r.capabilityEvidence() != null) {
            List<Evidence> all = new ArrayList<>(ev);
            all.addAll(r.quirks());
            out.add(new Reason(ReasonCode.NO_RESET, Severity.WARNING,
                    "No usable reset method: the device keeps its state between host and guest.", all,
                    "Power-cycle the VM host between uses, or check for a device-specific reset in a newer kernel."));
        }
        return out;
    }
}
