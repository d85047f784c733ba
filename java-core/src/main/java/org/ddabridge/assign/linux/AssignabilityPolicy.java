package org.ddabridge.assign.linux;

import java.util.List;

import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.survey.SurveyReport;

/**
 * Whether a function may be assigned. {@code dismount} refuses a NotAssignable function with these reasons
 * unless {@code force} is given (force never overrides the hard guards, which are not the policy's
 * business). Production: {@link SurveyPolicy} (the survey's own verdict); tests inject simpler ones.
 */
@FunctionalInterface
public interface AssignabilityPolicy {
    /** The verdict on one function, given the request's snapshot and the survey made of it. */
    Verdict evaluate(PciDevice device, HostSnapshot snapshot, SurveyReport survey);

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
