package org.ddabridge.check;

import java.util.List;

/**
 * One target's judgement of a device from the device's own facts (the host's readiness is not in it).
 *
 * @param verdict Assignable, AssignableWithWarnings or NotAssignable
 * @param reasons that target's reasons, in rule order
 */
public record TargetVerdict(Verdict verdict, List<Reason> reasons) {
    public TargetVerdict {
        reasons = List.copyOf(reasons);
    }

    public static TargetVerdict of(List<Reason> reasons) {
        return new TargetVerdict(Verdict.of(reasons), reasons);
    }
}
