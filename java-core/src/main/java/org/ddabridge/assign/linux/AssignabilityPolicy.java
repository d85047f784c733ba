package org.ddabridge.assign.linux;

import java.util.List;

import org.ddabridge.check.Reason;
import org.ddabridge.check.Verdict;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.util.HostRoot;
/**
 * Asks the compatibility checker whether a function may be assigned. {@code dismount} refuses a
 * NotAssignable function with these reasons unless {@code force} is given (force never overrides the
 * hard guards, which are not the policy's business).
 */
@FunctionalInterface
public interface AssignabilityPolicy {
    /** The checker's word on one function. */
    Verdict evaluate(PciDevice device, HostSnapshot snapshot, HostRoot root);

    /** {@code assignable} false = NotAssignable; {@code reasons} say why (or warn when assignable). */
    record Verdict(boolean assignable, String status, List<Reason> reasons) {
        public static Verdict ok() {
            return new Verdict(true, "Assignable", List.of());
        }
    }

    /** One reason: a stable code and a sentence. */
    record Reason(String code, String message) {
    }
}
