package org.ddabridge.assign.linux;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.assign.Guard;
import org.ddabridge.assign.GuardCode;
import org.ddabridge.assign.HostUseGuards;
import org.ddabridge.assign.PlannedStep;
import org.ddabridge.assign.StepAction;
import org.ddabridge.check.DeviceReport;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.pci.PciClass;
import org.ddabridge.survey.SurveyReport;

/**
 * {@code disable}: the selected functions (only those, not their groups) lose their host driver and stay
 * without one ({@link #DISABLED_OVERRIDE}). Same guards as dismount for the function itself (hard: bridge,
 * root disk, mounted filesystems, boot VGA; soft: in use, default-route NIC); functions in the pool are
 * refused ({@code InPool}: mount them first). {@code enable} clears the mark and lets the kernel bind the
 * natural driver ({@code drivers_probe}). Journaled and rolled back like dismount.
 */
final class DisableEnable {
    static final String DISABLED_OVERRIDE = org.ddabridge.model.PciDevice.DISABLED_OVERRIDE;
    private static final String VFIO_PCI = StepRunner.VFIO_PCI;
    private final PlanExecutor executor;

    DisableEnable(PlanExecutor executor) {
        this.executor = executor;
    }

    Object run(RequestContext ctx, Args args, Progress progress, boolean disable) {
        String kind = disable ? "disable" : "enable";
        boolean force = args.flag("force");
        boolean whatIf = args.flag("whatIf");
        HostSnapshot snap = ctx.snapshot();
        List<PciDevice> selected = RequestContext.selectNamed(args, snap, kind);
        Journal.State state = ctx.journal().load();
        SurveyReport survey = disable ? AssignService.survey(ctx, snap, args) : null;

        List<PlannedStep> steps = new ArrayList<>();
        List<Journal.DeviceState> devices = new ArrayList<>();
        List<Map<String, Object>> plan = new ArrayList<>();
        List<Guard> hard = new ArrayList<>();
        List<Guard> soft = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (PciDevice d : selected) {
            String a = d.address();
            if (!seen.add(a)) {
                continue;
            }
            String drv = ctx.core().driver(a);
            String ov = ctx.core().driverOverride(a);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("address", a);
            e.put("locationPath", d.locationPath());
            e.put("instanceId", d.instanceId());
            e.put("driver", drv.isEmpty() ? null : drv);
            plan.add(e);
            if (VFIO_PCI.equals(drv) || VFIO_PCI.equals(ov) || state.pool.containsKey(a)) {
                hard.add(Guard.of(GuardCode.InPool, a, a + " is in the assignable-device pool (vfio-pci): mount it first."));
                e.put("plan", "refused");
                continue;
            }
            if (disable) {
                List<Guard> guards = new ArrayList<>();
                if (PciClass.isBridge(d.classCode(), RequestContext.config(snap, d))) {
                    guards.add(Guard.of(GuardCode.Bridge, a, a + " is a bridge or port: disabling it would cut off "
                            + "every device behind it."));
                }
                DeviceReport rep = survey.report(a);
                if (rep != null) {
                    guards.addAll(HostUseGuards.of(rep, survey.hostUse()));
                }
                for (Guard gd : guards) {
                    (gd.hard() ? hard : soft).add(gd);
                }
                e.put("guards", guards);
                if (DISABLED_OVERRIDE.equals(ov) && drv.isEmpty()) {
                    e.put("plan", "alreadyDisabled");
                    continue;
                }
                e.put("plan", "disable");
                devices.add(Journal.DeviceState.of(a, d.iommuGroup(), drv, ov, "", DISABLED_OVERRIDE));
                steps.add(PlannedStep.of(StepAction.OVERRIDE, a, DISABLED_OVERRIDE));
                if (!drv.isEmpty()) {
                    steps.add(PlannedStep.of(StepAction.UNBIND, a, drv));
                }
            } else {
                if (!DISABLED_OVERRIDE.equals(ov) && !drv.isEmpty()) {
                    e.put("plan", "alreadyEnabled");
                    continue;
                }
                e.put("plan", "enable");
                String keepOv = DISABLED_OVERRIDE.equals(ov) ? "" : ov;
                devices.add(Journal.DeviceState.of(a, d.iommuGroup(), drv, ov, "", keepOv));
                if (!keepOv.equals(ov)) {
                    steps.add(PlannedStep.of(StepAction.OVERRIDE, a, keepOv));
                }
                if (drv.isEmpty()) {
                    steps.add(PlannedStep.of(StepAction.PROBE, a, ""));
                }
            }
        }
        String refusal = !hard.isEmpty() ? hard.get(0).code() : !force && !soft.isEmpty() ? soft.get(0).code() : null;
        if (whatIf) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("whatIf", true);
            r.put("kind", kind);
            r.put("devices", plan);
            r.put("steps", steps);
            r.put("wouldRefuse", refusal);
            r.put("simulated", ctx.core().simulated());
            r.put("stateDir", ctx.stateDir().toString());
            EngineException live = WhatIf.liveGuard(ctx);
            WhatIf.record(r, live != null ? live : refusal == null ? null : refusal(disable, hard, soft));
            return r;
        }
        if (refusal != null) {
            throw refusal(disable, hard, soft);
        }
        Map<String, Object> result = executor.execute(ctx,
                disable ? PlanExecutor.Kind.DISABLE : PlanExecutor.Kind.ENABLE, steps, devices, progress);
        result.put("plan", plan);
        return result;
    }

    /** The real run's refusal: the first hard guard, else the first soft one (force was not given). */
    private static EngineException refusal(boolean disable, List<Guard> hard, List<Guard> soft) {
        String kind = disable ? "disable" : "enable";
        Guard first = !hard.isEmpty() ? hard.get(0) : soft.get(0);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", first.code());
        details.put("hardGuards", hard);
        details.put("softGuards", soft);
        details.put("forceHelps", hard.isEmpty());
        return new EngineException(ErrorId.Refused, (disable ? "Disable" : "Enable") + " refused: " + first.message()
                + (hard.isEmpty() ? " Use force to " + kind + " anyway." : ""), first.address(), details);
    }
}
