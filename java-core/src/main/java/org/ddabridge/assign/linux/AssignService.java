package org.ddabridge.assign.linux;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.ddabridge.api.Args;
import org.ddabridge.api.Progress;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.assign.GuardCode;
import org.ddabridge.assign.PlannedStep;
import org.ddabridge.assign.StepAction;
import org.ddabridge.check.Target;
import org.ddabridge.driver.linux.DriverctlOverrides;
import org.ddabridge.model.BootOverride;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.pci.PciClass;
import org.ddabridge.survey.Survey;
import org.ddabridge.survey.SurveyReport;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.MutationGuard;

/**
 * Linux device assignment, the engine commands: {@code dismount} (a function's whole IOMMU group to
 * vfio-pci), {@code mount} (back to the original drivers), {@code pool} (what is held), {@code repair}
 * (finish the job after a crash), {@code disable}/{@code enable}.
 *
 * <p>Planning is {@link DismountPlanner}'s (guards from the survey's own reasons), running is
 * {@link PlanExecutor}'s (host lock, journal, rollback), pool and repair are {@link PoolAndRepair}'s,
 * disable/enable {@link DisableEnable}'s. After a crash, {@code repair} undoes an interrupted operation
 * from the journal, so every function ends where it was before that operation started.
 */
public final class AssignService {
    public static final String VFIO_PCI = StepRunner.VFIO_PCI;
    /**
     * The {@code driver_override} value that marks a function disabled (Windows' Disable-PnpDevice): it names
     * no driver, so neither {@code drivers_probe} nor a rescan binds anything until {@code enable} clears it.
     */
    public static final String DISABLED_OVERRIDE = DisableEnable.DISABLED_OVERRIDE;
    static final Set<String> DISMOUNT_ARGS =
            Set.of("root", "stateDir", "address", "locationPath", "instanceId", "class", "force", "whatIf",
                    "transient", "target");

    private final Function<HostRoot, DriverCore> cores;
    private final AssignabilityPolicy policy;
    private final Map<String, String> env;
    private final PlanExecutor executor;

    public AssignService(Function<HostRoot, DriverCore> cores, AssignabilityPolicy policy, CrashHook crashHook,
            Map<String, String> env) {
        this.cores = cores;
        this.policy = policy;
        this.env = env;
        this.executor = new PlanExecutor(crashHook);
    }

    /** The production wiring: real sysfs for the live root, the simulation for {@code --root} trees. */
    public static AssignService standard() {
        Map<String, String> env = System.getenv();
        // The injected write failure (e2e guest only) is read per request, so each request counts its own writes.
        return new AssignService(
                root -> root.isLive() ? new SysfsDriverCore(root, WriteFault.fromEnvironment(env))
                        : SimulatedDriverCore.forTree(root),
                new SurveyPolicy(), CrashHook.fromEnvironment(env), env);
    }

    RequestContext context(Args args) {
        return RequestContext.of(args, env, cores);
    }

    /**
     * The survey of the request's snapshot: verdicts and host-use reasons for the plan. Its headline is for the
     * request's {@code target} (default: the hypervisor this host runs, VFIO on Linux), as {@code survey}'s is.
     */
    static SurveyReport survey(RequestContext ctx, HostSnapshot snap, Args args) {
        return Survey.ofSnapshot(ctx.backend(), snap, all -> all, Target.parse(args.string("target")));
    }

    /** {@code dismount}: see the class comment. */
    public Object dismount(Args args, Progress progress) {
        args.allow(DISMOUNT_ARGS);
        RequestContext ctx = context(args);
        try (HostLock lock = lockUnlessWhatIf(ctx, args)) {
            return dismount(ctx, args, progress);
        }
    }

    /**
     * The host lock for a state-changing request, taken before its plan is made (so the plan is made from
     * the state it will change, and exactly one such request runs); none for a what-if.
     */
    private static HostLock lockUnlessWhatIf(RequestContext ctx, Args args) {
        if (args.flag("whatIf")) {
            return null;
        }
        MutationGuard.checkRoot(ctx.root());
        return HostLock.acquire(ctx.stateDir());
    }

    private Object dismount(RequestContext ctx, Args args, Progress progress) {
        boolean force = args.flag("force");
        boolean whatIf = args.flag("whatIf");
        HostSnapshot snap = ctx.snapshot();
        List<PciDevice> selected = RequestContext.selectNamed(args, snap, "dismount");
        List<DismountPlanner.GroupPlan> groups =
                DismountPlanner.plan(policy, snap, survey(ctx, snap, args), selected);
        List<Journal.DeviceState> devices = new ArrayList<>();
        boolean persist = !args.flag("transient");
        List<PlannedStep> steps = DismountPlanner.steps(ctx, groups, devices, persist);

        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("groups", groups.stream().map(DismountPlanner.GroupPlan::describe).toList());
        plan.put("steps", steps);
        plan.put("simulated", ctx.core().simulated());
        plan.put("stateDir", ctx.stateDir().toString());
        plan.put("persistent", persist);
        DismountPlanner.Refusal refusal = DismountPlanner.Refusal.of(groups, force);
        plan.put("wouldRefuse", refusal.code());
        if (whatIf) {
            plan.put("whatIf", true);
            EngineException live = WhatIf.liveGuard(ctx);
            WhatIf.record(plan, live != null ? live
                    : refusal.code() != null ? refusal.toException(selected.get(0).address()) : null);
            return plan;
        }
        if (refusal.code() != null) {
            throw refusal.toException(selected.get(0).address());
        }
        Map<String, Object> result = executor.execute(ctx, PlanExecutor.Kind.DISMOUNT, steps, devices, progress);
        result.put("groups", groups.stream().map(g -> PoolAndRepair.groupResult(ctx, g.group)).toList());
        result.put("persistent", persist);
        result.put("boot", ctx.boot().describe());
        return result;
    }

    /** {@code mount}: the held functions of each selected function's group go back to their drivers. */
    public Object mount(Args args, Progress progress) {
        args.allow(Set.of("root", "stateDir", "address", "locationPath", "instanceId", "class", "whatIf", "force",
                "transient"));
        RequestContext ctx = context(args);
        try (HostLock lock = lockUnlessWhatIf(ctx, args)) {
            return mount(ctx, args, progress);
        }
    }

    private Object mount(RequestContext ctx, Args args, Progress progress) {
        boolean whatIf = args.flag("whatIf");
        boolean unpersist = !args.flag("transient");
        HostSnapshot snap = ctx.snapshot();
        List<PciDevice> selected = RequestContext.selectNamed(args, snap, "mount");
        Journal.State state = ctx.journal().load();
        Map<String, BootOverride> ours = ctx.boot().persisted();
        Map<String, BootOverride> driverctl = new LinkedHashMap<>();
        for (BootOverride o : DriverctlOverrides.read(ctx.root())) {
            driverctl.put(o.address(), o);
        }
        List<PlannedStep> unpersistSteps = new ArrayList<>();

        List<PlannedStep> steps = new ArrayList<>();
        List<Journal.DeviceState> devices = new ArrayList<>();
        List<Map<String, Object>> plan = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (PciDevice d : selected) {
            for (PciDevice m : RequestContext.members(snap, d)) {
                String a = m.address();
                if (!seen.add(a) || PciClass.isBridge(m.classCode(), RequestContext.config(snap, m))) {
                    continue;
                }
                String drv = ctx.core().driver(a);
                String ov = ctx.core().driverOverride(a);
                Journal.PoolEntry pe = state.pool.get(a);
                boolean persisted = unpersist && ours.containsKey(a);
                boolean heldNow = VFIO_PCI.equals(drv) || VFIO_PCI.equals(ov) || pe != null;
                BootOverride dc = driverctl.get(a);
                if (unpersist && heldNow && dc != null && VFIO_PCI.equals(dc.driver())) {
                    throw new EngineException(ErrorId.Refused, "Mount refused: " + a + " has a driverctl override for "
                            + "vfio-pci (/" + dc.file() + "), so the next boot takes it again; DdaBridge does not fight "
                            + "it. Run 'driverctl unset-override " + a + "', or mount with --transient.", a,
                            Map.of("reason", GuardCode.DriverctlOverride.name()));
                }
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("address", a);
                e.put("group", m.iommuGroup());
                e.put("driver", drv);
                if (persisted) {
                    unpersistSteps.add(PlannedStep.of(StepAction.UNPERSIST, a, VFIO_PCI));
                    e.put("unpersist", true);
                }
                if (!heldNow) {
                    e.put("plan", persisted ? "unpersist" : a.equals(d.address()) ? "notHeld" : "untouched");
                    plan.add(e);
                    if (persisted) {
                        devices.add(Journal.DeviceState.of(a, m.iommuGroup(), drv, ov, drv, ov).persisted(true, false));
                    }
                    continue;
                }
                String original = pe != null && pe.originalDriver != null ? pe.originalDriver : "";
                String originalOv = pe != null && pe.originalOverride != null
                        && !VFIO_PCI.equals(pe.originalOverride) ? pe.originalOverride : "";
                e.put("plan", "mount");
                e.put("originalDriver", pe == null ? null : original);
                e.put("to", original.isEmpty() ? "kernel's choice" : original);
                plan.add(e);
                Journal.DeviceState ds = Journal.DeviceState.of(a, m.iommuGroup(), drv, ov, original, originalOv);
                devices.add(persisted ? ds.persisted(true, false) : ds);
                steps.add(PlannedStep.of(StepAction.OVERRIDE, a, originalOv));
                if (!drv.isEmpty()) {
                    steps.add(PlannedStep.of(StepAction.UNBIND, a, drv));
                }
                steps.add(PlannedStep.of(StepAction.PROBE, a, original));
            }
        }
        // a VM holding the group (QEMU with /dev/vfio/<group> open) must let go first; a what-if is refused the
        // same way (DeviceHeldByVm, exit 6), as the real run would be
        VmHolderGuard.check(ctx.root(), devices);
        steps.addAll(0, unpersistSteps);
        if (whatIf) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("whatIf", true);
            r.put("devices", plan);
            r.put("steps", steps);
            r.put("simulated", ctx.core().simulated());
            r.put("stateDir", ctx.stateDir().toString());
            EngineException live = WhatIf.liveGuard(ctx);
            WhatIf.record(r, live);
            return r;
        }
        Map<String, Object> result = executor.execute(ctx, PlanExecutor.Kind.MOUNT, steps, devices, progress);
        result.put("plan", plan);
        result.put("boot", ctx.boot().describe());
        return result;
    }

    /** {@code repair}: see {@link PoolAndRepair#repair}. */
    public Object repair(Args args, Progress progress) {
        args.allow(Set.of("root", "stateDir", "whatIf"));
        return PoolAndRepair.repair(context(args), args.flag("whatIf"), progress);
    }

    /** {@code pool}: see {@link PoolAndRepair#pool}. */
    public Object pool(Args args, Progress progress) {
        args.allow(Set.of("root", "stateDir"));
        return PoolAndRepair.pool(context(args));
    }

    /** {@code disable}: see {@link DisableEnable}. */
    public Object disable(Args args, Progress progress) {
        args.allow(DISMOUNT_ARGS);
        RequestContext ctx = context(args);
        try (HostLock lock = lockUnlessWhatIf(ctx, args)) {
            return new DisableEnable(executor).run(ctx, args, progress, true);
        }
    }

    /** {@code enable}: see {@link DisableEnable}. */
    public Object enable(Args args, Progress progress) {
        args.allow(DISMOUNT_ARGS);
        RequestContext ctx = context(args);
        try (HostLock lock = lockUnlessWhatIf(ctx, args)) {
            return new DisableEnable(executor).run(ctx, args, progress, false);
        }
    }
}
