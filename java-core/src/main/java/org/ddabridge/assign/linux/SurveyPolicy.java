package org.ddabridge.assign.linux;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.Severity;
import org.ddabridge.check.Target;
import org.ddabridge.check.TargetVerdict;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.survey.SurveyReport;

/**
 * The survey's verdict as the dismount policy: NotAssignable with the survey's error and warning reasons.
 * The survey is made once per request, from the same snapshot the plan is made of. It reads the Hyper-V
 * device-only judgement ({@code targets.hyperv}), the stricter one this policy has always applied, so that
 * the headline's switch to VFIO rules does not silently widen what dismount accepts without --force (the
 * planner's hard guards cover the kernel's own refusals).
 */
public final class SurveyPolicy implements AssignabilityPolicy {
    @Override
    public Verdict evaluate(PciDevice device, HostSnapshot snapshot, SurveyReport survey) {
        DeviceReport rep = survey.report(device.address());
        if (rep == null) {
            return Verdict.ok();
        }
        TargetVerdict judged = rep.target(Target.HYPERV);
        List<Reason> reasons = new ArrayList<>();
        for (org.ddabridge.check.Reason x : judged.reasons()) {
            if (x.severity() == Severity.ERROR || x.severity() == Severity.WARNING) {
                reasons.add(new Reason(x.code(), x.message()));
            }
        }
        boolean ok = judged.verdict() != org.ddabridge.check.Verdict.NotAssignable;
        return new Verdict(ok, judged.verdict().name(), reasons);
    }
}
