package org.ddabridge.assign.linux;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.assign.Guard;
import org.ddabridge.assign.GuardCode;
import org.ddabridge.assign.HostUseGuards;
import org.ddabridge.assign.PlannedStep;
import org.ddabridge.assign.StepAction;
import org.ddabridge.check.DeviceReport;
import org.ddabridge.driver.linux.DriverctlOverrides;
import org.ddabridge.model.BootOverride;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.pci.PciClass;
import org.ddabridge.survey.SurveyReport;

/**
 * The dismount plan: for each selected function its whole IOMMU group, what moves to vfio-pci and what
 * stays (PCIe ports), the guards (group and bridge rules here, host use from the survey's reasons) and the
 * policy's verdicts; then the steps, and whether the real run would be refused.
 */
final class DismountPlanner {
    private DismountPlanner() {
    }

    /** What happens to one IOMMU group. */
    static final class GroupPlan {
        Integer group;
        final List<String> selected = new ArrayList<>();
        final List<Map<String, Object>> moves = new ArrayList<>();
        final List<Map<String, Object>> stays = new ArrayList<>();
        final List<Guard> guards = new ArrayList<>();
        final Map<String, AssignabilityPolicy.Verdict> verdicts = new LinkedHashMap<>();

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", group);
            m.put("selected", selected);
            m.put("moves", moves);
            m.put("stays", stays);
            m.put("guards", guards);
            List<Map<String, Object>> v = new ArrayList<>();
            verdicts.forEach((a, verdict) -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("address", a);
                e.put("status", verdict.status());
                e.put("reasons", verdict.reasons());
                v.add(e);
            });
            m.put("verdicts", v);
            return m;
        }
    }

    /** Guards split by kind, and the refusal they (and the verdicts) make. */
    record Refusal(List<Guard> hard, List<Guard> soft, List<Map<String, Object>> notAssignable, String code) {
        static Refusal of(List<GroupPlan> groups, boolean force) {
            List<Guard> hard = new ArrayList<>();
            List<Guard> soft = new ArrayList<>();
            List<Map<String, Object>> notAssignable = new ArrayList<>();
            for (GroupPlan g : groups) {
                for (Guard gd : g.guards) {
                    (gd.hard() ? hard : soft).add(gd);
                }
                g.verdicts.forEach((a, v) -> {
                    if (!v.assignable()) {
                        notAssignable.add(Map.of("address", a, "status", v.status(), "reasons", v.reasons()));
                    }
                });
            }
            String code = !hard.isEmpty() ? hard.get(0).code()
                    : force ? null : !soft.isEmpty() ? soft.get(0).code()
                    : !notAssignable.isEmpty() ? "NotAssignable" : null;
            return new Refusal(hard, soft, notAssignable, code);
        }

        EngineException toException(String target) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", code);
            details.put("hardGuards", hard);
            details.put("softGuards", soft);
            details.put("notAssignable", notAssignable);
            details.put("forceHelps", hard.isEmpty());
            String why = !hard.isEmpty() ? hard.get(0).message()
                    : !soft.isEmpty() ? soft.get(0).message() + " Use force to dismount anyway."
                    : notAssignable.get(0).get("address") + " is NotAssignable: "
                            + String.join(" ", ((List<?>) notAssignable.get(0).get("reasons")).stream()
                                    .map(r -> ((AssignabilityPolicy.Reason) r).message()).toList())
                            + " Use force to dismount anyway.";
            return new EngineException(ErrorId.Refused, "Dismount refused: " + why, target, details);
        }
    }

    /** Groups of the selected functions with moves, stays, guards and the policy's verdicts. */
    static List<GroupPlan> plan(AssignabilityPolicy policy, HostSnapshot snap, SurveyReport survey,
            List<PciDevice> selected) {
        Map<Object, GroupPlan> groups = new LinkedHashMap<>();
        for (PciDevice d : selected) {
            Object key = d.iommuGroup() != null ? d.iommuGroup() : d.address();
            GroupPlan g = groups.get(key);
            if (g != null) {
                g.selected.add(d.address());
                continue;
            }
            g = new GroupPlan();
            g.group = d.iommuGroup();
            g.selected.add(d.address());
            groups.put(key, g);
            if (d.iommuGroup() == null) {
                g.guards.add(Guard.of(GuardCode.NoIommuGroup, d.address(), d.address()
                        + " has no IOMMU group: the IOMMU is off or the kernel did not put the device in a group."));
            }
            for (PciDevice m : RequestContext.members(snap, d)) {
                planMember(policy, snap, survey, g, m);
            }
            if (PciClass.isBridge(d.classCode(), RequestContext.config(snap, d))) {
                g.guards.add(Guard.of(GuardCode.Bridge, d.address(),
                        d.address() + " is a bridge or port: bridges are never assigned."));
            }
        }
        return new ArrayList<>(groups.values());
    }

    private static void planMember(AssignabilityPolicy policy, HostSnapshot snap, SurveyReport survey, GroupPlan g,
            PciDevice m) {
        byte[] c = RequestContext.config(snap, m);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("address", m.address());
        entry.put("driver", m.driver());
        if (PciClass.isBridge(m.classCode(), c)) {
            boolean port = PciClass.isPciePort(m.address(), c);
            entry.put("why", port ? "PCIe port stays on " + m.driver() : "bridge stays");
            g.stays.add(entry);
            if (!port) {
                g.guards.add(Guard.of(GuardCode.GroupContainsBridge, m.address(), "IOMMU group " + g.group
                        + " holds the bridge " + m.address() + " (not a PCIe root/switch port): every device "
                        + "behind it shares its requester id and none can be isolated."));
            }
            return;
        }
        entry.put("to", StepRunner.VFIO_PCI);
        g.moves.add(entry);
        g.verdicts.put(m.address(), policy.evaluate(m, snap, survey));
        DeviceReport rep = survey.report(m.address());
        if (rep != null) {
            g.guards.addAll(HostUseGuards.of(rep, survey.hostUse()));
        }
    }

    /**
     * The steps of the plan; devices that are already on vfio-pci are marked and skipped. With {@code persist},
     * every moved function not persisted yet gets a {@code persist} step at the end (after the kernel moves and
     * the viability checks, so only a working assignment is persisted); a function whose driverctl override
     * already names vfio-pci is persisted by driverctl and left to it, one naming another driver is a guard.
     */
    static List<PlannedStep> steps(RequestContext ctx, List<GroupPlan> groups, List<Journal.DeviceState> devices,
            boolean persist) {
        List<PlannedStep> steps = new ArrayList<>();
        List<PlannedStep> persistSteps = new ArrayList<>();
        String vfio = StepRunner.VFIO_PCI;
        Map<String, BootOverride> ours = ctx.boot().persisted();
        Map<String, BootOverride> driverctl = new LinkedHashMap<>();
        for (BootOverride o : DriverctlOverrides.read(ctx.root())) {
            driverctl.put(o.address(), o);
        }
        if (!ctx.core().driverAvailable(vfio)) {
            steps.add(PlannedStep.of(StepAction.MODPROBE, "", vfio));
        }
        for (GroupPlan g : groups) {
            boolean any = false;
            for (Map<String, Object> mv : g.moves) {
                String a = (String) mv.get("address");
                String drv = ctx.core().driver(a);
                String ov = ctx.core().driverOverride(a);
                BootOverride dc = driverctl.get(a);
                boolean toPersist = persist && !ours.containsKey(a) && (dc == null || !vfio.equals(dc.driver()));
                if (persist && dc != null && !vfio.equals(dc.driver())) {
                    g.guards.add(Guard.of(GuardCode.DriverctlOverride, a, a + " has a driverctl override for "
                            + dc.driver() + " (/" + dc.file() + "): DdaBridge does not fight it. Run 'driverctl "
                            + "unset-override " + a + "' first, or dismount with --transient."));
                    toPersist = false;
                }
                if (dc != null) {
                    mv.put("persistedBy", "driverctl (" + dc.driver() + ")");
                }
                if (toPersist) {
                    persistSteps.add(PlannedStep.of(StepAction.PERSIST, a, vfio));
                }
                // the list before and after: a transient dismount leaves it as it is (and says so in the pool)
                boolean listed = ours.containsKey(a);
                if (vfio.equals(drv) && vfio.equals(ov)) {
                    mv.put("to", "already on vfio-pci");
                    if (toPersist) {
                        devices.add(Journal.DeviceState.of(a, g.group, drv, ov, vfio, vfio).persisted(false, true));
                    }
                    continue;
                }
                any = true;
                devices.add(Journal.DeviceState.of(a, g.group, drv, ov, vfio, vfio).persisted(listed, listed || toPersist));
                steps.add(PlannedStep.of(StepAction.OVERRIDE, a, vfio));
                if (!drv.isEmpty()) {
                    steps.add(PlannedStep.of(StepAction.UNBIND, a, drv));
                }
                steps.add(PlannedStep.of(StepAction.PROBE, a, vfio));
            }
            if (any && g.group != null) {
                steps.add(PlannedStep.of(StepAction.VFIO_CHECK, "", String.valueOf(g.group)));
            }
        }
        if (devices.isEmpty() && steps.size() <= 1) {
            steps.clear();
        }
        steps.addAll(persistSteps);
        return steps;
    }
}
