package org.ddabridge.assign.linux;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.Severity;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.survey.SurveyReport;

/**
 * The survey's verdict as the dismount policy: NotAssignable with the survey's error and warning reasons.
 * The survey is made once per request, from the same snapshot the plan is made of, and the policy reads its
 * headline: the verdict for the request's target (on Linux VFIO unless the request names another), host
 * readiness included. So dismount accepts exactly what {@code survey} calls assignable here and now, and a
 * host check that blocks every assignment (IOMMU off, no interrupt remapping) refuses it unless forced. The
 * planner's hard guards cover what the kernel refuses outright (bridges, no group).
 */
public final class SurveyPolicy implements AssignabilityPolicy {
    @Override
    public Verdict evaluate(PciDevice device, HostSnapshot snapshot, SurveyReport survey) {
        DeviceReport rep = survey.report(device.address());
        if (rep == null) {
            return Verdict.ok();
        }
        List<Reason> reasons = new ArrayList<>();
        for (org.ddabridge.check.Reason x : rep.reasons()) {
            if (x.severity() == Severity.ERROR || x.severity() == Severity.WARNING) {
                reasons.add(new Reason(x.code(), x.message()));
            }
        }
        boolean ok = rep.verdict() != org.ddabridge.check.Verdict.NotAssignable;
        return new Verdict(ok, rep.verdict().name(), reasons);
    }
}
