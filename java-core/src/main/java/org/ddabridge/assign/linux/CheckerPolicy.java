package org.ddabridge.assign.linux;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ddabridge.check.Checker;
import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.Reason;
import org.ddabridge.check.Severity;
import org.ddabridge.check.Verdict;
import org.ddabridge.driver.linux.AcpiDmar;
import org.ddabridge.driver.linux.HostUseReader;
import org.ddabridge.driver.linux.LinuxIommuFacts;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.util.HostRoot;
/**
 * The compatibility checker ({@link Checker}) as the dismount policy: NotAssignable with the checker's
 * error reasons; warnings are passed along but do not refuse. The checker runs once per snapshot.
 */
public final class CheckerPolicy implements AssignabilityPolicy {
    private HostSnapshot lastSnapshot;
    private Map<String, DeviceReport> lastReports = Map.of();

    @Override
    public synchronized Verdict evaluate(PciDevice device, HostSnapshot snap, HostRoot root) {
        if (snap != lastSnapshot) {
            Map<String, String> parents = new HashMap<>();
            for (PciDevice d : snap.devices()) {
                if (d.parent() != null) {
                    parents.put(d.address(), d.parent());
                }
            }
            Checker.Result r = Checker.run(new Checker.Input(snap.devices(), snap.configSpaces(), parents,
                    LinuxIommuFacts.read(root), HostUseReader.read(root, snap.devices()),
                    AcpiDmar.parse(AcpiDmar.query(root))));
            Map<String, DeviceReport> m = new HashMap<>();
            r.devices().forEach(d -> m.put(d.device().address(), d));
            lastReports = m;
            lastSnapshot = snap;
        }
        DeviceReport rep = lastReports.get(device.address());
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
