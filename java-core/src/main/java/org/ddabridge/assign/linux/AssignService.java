package org.ddabridge.assign.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.check.Reason;
import org.ddabridge.check.Verdict;
import org.ddabridge.image.HostImages;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.survey.DeviceSelector;
import org.ddabridge.survey.PnpDevice;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.MutationGuard;
/**
 * Linux device assignment: {@code dismount} (a function's whole IOMMU group to vfio-pci), {@code mount}
 * (back to the original drivers), {@code pool} (what is held) and {@code repair} (finish the job after a
 * crash).
 *
 * <p>Every state-changing request holds the host lock ({@link HostLock}) and journals each step
 * ({@link Journal}) before doing it. When a step fails, the steps done are rolled back in reverse
 * (each touched function is brought back to its state before the operation) and the error reports both.
 * After a crash, {@code repair} does the same from the journal: an interrupted operation is undone, so
 * every function ends where it was before that operation started. The pool is committed together with
 * the operation's final status, in one atomic journal write.
 */
public final class AssignService {
    public static final String VFIO_PCI = "vfio-pci";
    private static final long BIND_TIMEOUT_MS = 5_000;
    private static final Set<String> DISMOUNT_ARGS =
            Set.of("root", "stateDir", "address", "locationPath", "instanceId", "force", "whatIf");

    private final Function<HostRoot, DriverCore> cores;
    private final AssignabilityPolicy policy;
    private final CrashHook crashHook;
    private final Map<String, String> env;

    public AssignService(Function<HostRoot, DriverCore> cores, AssignabilityPolicy policy, CrashHook crashHook,
            Map<String, String> env) {
        this.cores = cores;
        this.policy = policy;
        this.crashHook = crashHook;
        this.env = env;
    }

    /** The production wiring: real sysfs for the live root, the simulation for {@code --root} trees. */
    public static AssignService standard() {
        Map<String, String> env = System.getenv();
        return new AssignService(
                root -> root.isLive() ? new SysfsDriverCore(root) : SimulatedDriverCore.forTree(root),
                new CheckerPolicy(), CrashHook.fromEnvironment(env), env);
    }

    // ---------------------------------------------------------------- request context

    /** Root, state directory and driver core of one request. */
    record Ctx(HostRoot root, Path stateDir, DriverCore core) {
    }

    Ctx context(Args args) {
        String rootArg = args.string("root");
        HostRoot root;
        if (rootArg == null) {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                throw new EngineException(ErrorId.NotSupported,
                        "Device assignment is implemented for Linux (VFIO) only so far.", "os");
            }
            root = HostRoot.live();
        } else {
            if (Files.exists(Path.of(rootArg)) && !Files.isDirectory(Path.of(rootArg))) {
                throw new EngineException(ErrorId.InvalidArgument, "'" + rootArg
                        + "' is an archive: dismount, mount and repair need a directory tree as --root.", rootArg);
            }
            root = HostImages.open(rootArg);
        }
        String sd = args.string("stateDir");
        if (sd == null || sd.isBlank()) {
            sd = env.get("DDABRIDGE_STATE_DIR");
        }
        Path stateDir = sd != null && !sd.isBlank() ? Path.of(sd)
                : root.isLive() ? Path.of("/var/lib/ddabridge") : root.resolve("var/lib/ddabridge");
        return new Ctx(root, stateDir.toAbsolutePath().normalize(), cores.apply(root));
    }

    private static HostSnapshot snapshot(Ctx ctx) {
        return new LinuxPlatform(ctx.root()).snapshot();
    }

    private static List<PciDevice> selectNamed(Args args, HostSnapshot snap, String command) {
        DeviceSelector selector = DeviceSelector.from(args);
        if (!selector.namesDevices()) {
            throw new EngineException(ErrorId.InvalidArgument, "'" + command
                    + "' needs at least one address, locationPath or instanceId (it never acts on all devices).",
                    command);
        }
        return selector.select(snap.devices());
    }

    // ---------------------------------------------------------------- plan

    /** One planned step. */
    record PlannedStep(String action, String address, String value) {
    }

    /** A guard that stops a function: hard ones hold even with force. */
    public record Guard(String code, boolean hard, String address, String message) {
    }

    /** What happens to one IOMMU group. */
    static final class GroupPlan {
        Integer group;
        final List<String> selected = new ArrayList<>();
        final List<Map<String, Object>> moves = new ArrayList<>();
        final List<Map<String, Object>> stays = new ArrayList<>();
        final List<Guard> guards = new ArrayList<>();
        final Map<String, AssignabilityPolicy.Verdict> verdicts = new LinkedHashMap<>();
    }

    static boolean isBridge(PciDevice d, byte[] config) {
        int ht = ConfigBits.headerType(config);
        return d.classCode().startsWith("0604") || d.classCode().startsWith("0609") || ht == 1 || ht == 2;
    }

    private static List<PciDevice> members(HostSnapshot snap, PciDevice d) {
        if (d.iommuGroup() == null) {
            return List.of(d);
        }
        return snap.devices().stream().filter(o -> d.iommuGroup().equals(o.iommuGroup())).toList();
    }

    private static byte[] config(HostSnapshot snap, PciDevice d) {
        return snap.configSpaces().getOrDefault(d.address(), new byte[0]);
    }

    /** Groups of the selected functions with moves, stays, guards and the checker's verdicts. */
    List<GroupPlan> planDismount(Ctx ctx, HostSnapshot snap, List<PciDevice> selected) {
        Map<Object, GroupPlan> groups = new LinkedHashMap<>();
        HostUseScan use = new HostUseScan(ctx.root());
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
                g.guards.add(new Guard("NoIommuGroup", true, d.address(), d.address()
                        + " has no IOMMU group: the IOMMU is off or the kernel did not put the device in a group."));
            }
            for (PciDevice m : members(snap, d)) {
                byte[] c = config(snap, m);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("address", m.address());
                entry.put("driver", m.driver());
                if (isBridge(m, c)) {
                    entry.put("why", ConfigBits.isPciePort(c) ? "PCIe port stays on " + m.driver()
                            : "bridge stays");
                    g.stays.add(entry);
                    if (!ConfigBits.isPciePort(c)) {
                        g.guards.add(new Guard("GroupContainsBridge", true, m.address(), "IOMMU group " + g.group
                                + " holds the bridge " + m.address() + " (not a PCIe root/switch port): every device "
                                + "behind it shares its requester id and none can be isolated."));
                    }
                } else {
                    entry.put("to", VFIO_PCI);
                    g.moves.add(entry);
                    g.verdicts.put(m.address(), policy.evaluate(m, snap, ctx.root()));
                    hostUseGuards(use, g, m);
                }
            }
            if (isBridge(d, config(snap, d))) {
                g.guards.add(new Guard("Bridge", true, d.address(),
                        d.address() + " is a bridge or port: bridges are never assigned."));
            }
        }
        return new ArrayList<>(groups.values());
    }

    private static void hostUseGuards(HostUseScan use, GroupPlan g, PciDevice m) {
        String a = m.address();
        if (m.bootVga()) {
            g.guards.add(new Guard("BootVga", true, a, a + " is the boot VGA device (the host's console)."));
        }
        Set<String> nodes = new LinkedHashSet<>();
        for (HostUseScan.BlockDevice bd : use.blockDevices(a)) {
            bd.devNumbers().keySet().forEach(n -> nodes.add("/dev/" + n));
            List<String> mounts = use.mountsOf(bd);
            boolean root = mounts.stream().anyMatch(s -> s.startsWith("/ "));
            if (root) {
                g.guards.add(new Guard("RootDisk", true, a, a + " holds the root filesystem (" + bd.name() + ")."));
            } else if (!mounts.isEmpty()) {
                g.guards.add(new Guard("MountedFilesystem", true, a, a + " holds mounted filesystems or swap: "
                        + mounts + "."));
            } else if (!bd.holders().isEmpty()) {
                g.guards.add(new Guard("InUse", false, a, a + ": " + bd.name() + " is held by " + bd.holders() + "."));
            }
        }
        use.nvmeControllers(a).forEach(c -> nodes.add("/dev/" + c));
        if (g.group != null) {
            nodes.add("/dev/vfio/" + g.group);
        }
        List<String> users = use.openUsers(nodes);
        if (!users.isEmpty()) {
            g.guards.add(new Guard("InUse", false, a, a + " is open by " + users + "."));
        }
        for (String iface : use.interfaces(a)) {
            List<String> via = use.defaultRoutesVia(iface);
            if (!via.isEmpty()) {
                g.guards.add(new Guard("DefaultRouteNic", false, a, a + " (" + iface
                        + ") carries the default route (via " + via + "); the host would lose its network."));
            }
        }
    }

    private static Map<String, Object> describe(GroupPlan g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", g.group);
        m.put("selected", g.selected);
        m.put("moves", g.moves);
        m.put("stays", g.stays);
        m.put("guards", g.guards);
        List<Map<String, Object>> v = new ArrayList<>();
        g.verdicts.forEach((a, verdict) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("address", a);
            e.put("status", verdict.status());
            e.put("reasons", verdict.reasons());
            v.add(e);
        });
        m.put("verdicts", v);
        return m;
    }

    // ---------------------------------------------------------------- dismount

    /** {@code dismount}: see the class comment. */
    public Object dismount(Args args, Progress progress) {
        args.allow(DISMOUNT_ARGS);
        boolean force = args.flag("force");
        boolean whatIf = args.flag("whatIf");
        Ctx ctx = context(args);
        HostSnapshot snap = snapshot(ctx);
        List<PciDevice> selected = selectNamed(args, snap, "dismount");
        List<GroupPlan> groups = planDismount(ctx, snap, selected);

        List<PlannedStep> steps = new ArrayList<>();
        List<Journal.DeviceState> devices = new ArrayList<>();
        if (!ctx.core().driverAvailable(VFIO_PCI)) {
            steps.add(new PlannedStep("modprobe", "", VFIO_PCI));
        }
        for (GroupPlan g : groups) {
            boolean any = false;
            for (Map<String, Object> mv : g.moves) {
                String a = (String) mv.get("address");
                String drv = ctx.core().driver(a);
                String ov = ctx.core().driverOverride(a);
                if (VFIO_PCI.equals(drv) && VFIO_PCI.equals(ov)) {
                    mv.put("to", "already on vfio-pci");
                    continue;
                }
                any = true;
                devices.add(deviceState(a, g.group, drv, ov, VFIO_PCI, VFIO_PCI));
                steps.add(new PlannedStep("override", a, VFIO_PCI));
                if (!drv.isEmpty()) {
                    steps.add(new PlannedStep("unbind", a, drv));
                }
                steps.add(new PlannedStep("probe", a, VFIO_PCI));
            }
            if (any && g.group != null) {
                steps.add(new PlannedStep("vfioCheck", "", String.valueOf(g.group)));
            }
        }
        if (devices.isEmpty() && steps.size() <= 1) {
            steps.clear();
        }

        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("groups", groups.stream().map(AssignService::describe).toList());
        plan.put("steps", steps);
        plan.put("simulated", ctx.core().simulated());
        plan.put("stateDir", ctx.stateDir().toString());

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
        String refusal = !hard.isEmpty() ? hard.get(0).code()
                : force ? null : !soft.isEmpty() ? soft.get(0).code() : !notAssignable.isEmpty() ? "NotAssignable" : null;
        plan.put("wouldRefuse", refusal);
        if (whatIf) {
            plan.put("whatIf", true);
            return plan;
        }
        if (refusal != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", refusal);
            details.put("hardGuards", hard);
            details.put("softGuards", soft);
            details.put("notAssignable", notAssignable);
            details.put("forceHelps", hard.isEmpty());
            String why = !hard.isEmpty() ? hard.get(0).message()
                    : !soft.isEmpty() ? soft.get(0).message() + " Use force to dismount anyway."
                    : notAssignable.get(0).get("address") + " is NotAssignable: "
                            + ((List<?>) notAssignable.get(0).get("reasons")).stream()
                                    .map(r -> ((AssignabilityPolicy.Reason) r).message()).toList()
                            + " Use force to dismount anyway.";
            throw new EngineException(ErrorId.Refused, "Dismount refused: " + why, selected.get(0).address(), details);
        }
        Map<String, Object> result = execute(ctx, "dismount", steps, devices, progress);
        result.put("groups", groups.stream().map(g -> groupResult(ctx, g.group)).toList());
        return result;
    }

    private static Journal.DeviceState deviceState(String a, Integer group, String drv, String ov, String afterDrv,
            String afterOv) {
        Journal.DeviceState ds = new Journal.DeviceState();
        ds.address = a;
        ds.group = group;
        ds.beforeDriver = drv;
        ds.beforeOverride = ov;
        ds.afterDriver = afterDrv;
        ds.afterOverride = afterOv;
        return ds;
    }

    private static Map<String, Object> groupResult(Ctx ctx, Integer group) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", group);
        if (group != null) {
            DriverCore.GroupStatus s = ctx.core().groupStatus(group);
            m.put("node", "/dev/vfio/" + group);
            m.put("present", s.present());
            m.put("viable", s.viable());
            m.put("flags", s.flags());
            m.put("detail", s.detail());
        }
        return m;
    }

    // ---------------------------------------------------------------- mount

    /** {@code mount}: the held functions of each selected function's group go back to their drivers. */
    public Object mount(Args args, Progress progress) {
        args.allow(Set.of("root", "stateDir", "address", "locationPath", "instanceId", "whatIf", "force"));
        boolean whatIf = args.flag("whatIf");
        Ctx ctx = context(args);
        HostSnapshot snap = snapshot(ctx);
        List<PciDevice> selected = selectNamed(args, snap, "mount");
        Journal.State state = new Journal(ctx.stateDir()).load();

        List<PlannedStep> steps = new ArrayList<>();
        List<Journal.DeviceState> devices = new ArrayList<>();
        List<Map<String, Object>> plan = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (PciDevice d : selected) {
            for (PciDevice m : members(snap, d)) {
                String a = m.address();
                if (!seen.add(a) || isBridge(m, config(snap, m))) {
                    continue;
                }
                String drv = ctx.core().driver(a);
                String ov = ctx.core().driverOverride(a);
                Journal.PoolEntry pe = state.pool.get(a);
                boolean held = VFIO_PCI.equals(drv) || VFIO_PCI.equals(ov) || pe != null;
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("address", a);
                e.put("group", m.iommuGroup());
                e.put("driver", drv);
                if (!held) {
                    e.put("plan", a.equals(d.address()) ? "notHeld" : "untouched");
                    plan.add(e);
                    continue;
                }
                String original = pe != null && pe.originalDriver != null ? pe.originalDriver : "";
                String originalOv = pe != null && pe.originalOverride != null
                        && !VFIO_PCI.equals(pe.originalOverride) ? pe.originalOverride : "";
                e.put("plan", "mount");
                e.put("originalDriver", pe == null ? null : original);
                e.put("to", original.isEmpty() ? "kernel's choice" : original);
                plan.add(e);
                devices.add(deviceState(a, m.iommuGroup(), drv, ov, original, originalOv));
                steps.add(new PlannedStep("override", a, originalOv));
                if (!drv.isEmpty()) {
                    steps.add(new PlannedStep("unbind", a, drv));
                }
                steps.add(new PlannedStep("probe", a, original));
            }
        }
        if (whatIf) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("whatIf", true);
            r.put("devices", plan);
            r.put("steps", steps);
            r.put("simulated", ctx.core().simulated());
            r.put("stateDir", ctx.stateDir().toString());
            return r;
        }
        Map<String, Object> result = execute(ctx, "mount", steps, devices, progress);
        result.put("plan", plan);
        return result;
    }

    // ---------------------------------------------------------------- execution

    /** Journals and runs the steps; rolls back on failure; commits the pool with the final status. */
    private Map<String, Object> execute(Ctx ctx, String kind, List<PlannedStep> steps,
            List<Journal.DeviceState> devices, Progress progress) {
        MutationGuard.checkRoot(ctx.root());
        long t0 = System.nanoTime();
        try (HostLock lock = HostLock.acquire(ctx.stateDir())) {
            Journal journal = new Journal(ctx.stateDir());
            Journal.State state = journal.load();
            requireNoPendingRepair(state, journal);
            Journal.Operation op = new Journal.Operation();
            op.id = kind + "-" + UUID.randomUUID().toString().substring(0, 8);
            op.kind = kind;
            op.status = "running";
            op.started = Instant.now().toString();
            op.devices = devices;
            state.operation = op;
            journal.save(state);
            int i = 0;
            for (PlannedStep ps : steps) {
                Journal.Step s = new Journal.Step();
                s.index = i;
                s.action = ps.action();
                s.address = ps.address();
                s.value = ps.value();
                s.state = "pending";
                s.at = Instant.now().toString();
                op.steps.add(s);
                journal.save(state);
                crashHook.at(i, CrashHook.Phase.JOURNALED);
                progress.report(activity(kind), steps.isEmpty() ? 100 : i * 100 / steps.size(), describe(ps));
                try {
                    apply(ctx.core(), ps);
                } catch (IOException | RuntimeException e) {
                    s.state = "failed";
                    s.error = e.getMessage();
                    op.failure = "step " + i + " (" + describe(ps) + ") failed: " + e.getMessage();
                    journal.save(state);
                    throw rollback(ctx, journal, state, op, s, e);
                }
                crashHook.at(i, CrashHook.Phase.APPLIED);
                s.state = "done";
                journal.save(state);
                i++;
            }
            // Commit: pool and final status in one atomic write.
            String now = Instant.now().toString();
            for (Journal.DeviceState ds : devices) {
                if (kind.equals("dismount")) {
                    Journal.PoolEntry pe = state.pool.get(ds.address);
                    if (pe == null) {
                        pe = new Journal.PoolEntry();
                        pe.address = ds.address;
                        pe.originalDriver = ds.beforeDriver;
                        pe.originalOverride = ds.beforeOverride;
                        pe.since = now;
                        state.pool.put(ds.address, pe);
                    }
                    pe.group = ds.group;
                    pe.operation = op.id;
                } else if (kind.equals("mount")) {
                    state.pool.remove(ds.address);
                }
            }
            op.status = "done";
            op.finished = now;
            journal.save(state);
            progress.report(activity(kind), 100, "done");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("operation", op.id);
            r.put("kind", kind);
            r.put("status", op.status);
            r.put("simulated", ctx.core().simulated());
            r.put("stateDir", ctx.stateDir().toString());
            List<Map<String, Object>> ds = new ArrayList<>();
            for (Journal.DeviceState d : devices) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("address", d.address);
                m.put("group", d.group);
                m.put("from", d.beforeDriver);
                m.put("driver", ctx.core().driver(d.address));
                ds.add(m);
            }
            r.put("devices", ds);
            r.put("steps", op.steps);
            r.put("durationMs", (System.nanoTime() - t0) / 1_000_000);
            return r;
        }
    }

    private static void requireNoPendingRepair(Journal.State state, Journal journal) {
        Journal.Operation op = state.operation;
        if (op != null && ("running".equals(op.status) || "rollbackFailed".equals(op.status))) {
            throw new EngineException(ErrorId.Refused, "The " + op.kind + " operation " + op.id
                    + " did not finish (status " + op.status + "; journal " + journal.file()
                    + "). Run 'repair' first.", op.id, Map.of("reason", "RepairNeeded", "operation", op.id));
        }
    }

    private static String describe(PlannedStep ps) {
        return switch (ps.action()) {
            case "modprobe" -> "modprobe " + ps.value();
            case "override" -> ps.address() + ": driver_override = " + (ps.value().isEmpty() ? "(cleared)" : ps.value());
            case "unbind" -> ps.address() + ": unbind from " + ps.value();
            case "probe" -> ps.address() + ": drivers_probe -> " + (ps.value().isEmpty() ? "kernel's choice" : ps.value());
            case "vfioCheck" -> "group " + ps.value() + ": VFIO_GROUP_GET_STATUS must be viable";
            case "bind" -> ps.address() + ": bind to " + ps.value();
            default -> ps.action() + " " + ps.address() + " " + ps.value();
        };
    }

    /** Does one step and verifies its effect; throws when the kernel did not do what was asked. */
    private static void apply(DriverCore core, PlannedStep ps) throws IOException {
        String a = ps.address();
        switch (ps.action()) {
            case "modprobe" -> {
                core.loadModule(ps.value());
                if (!core.driverAvailable(ps.value())) {
                    throw new IOException("after modprobe " + ps.value() + " the driver is still not registered");
                }
            }
            case "override" -> {
                core.setOverride(a, ps.value());
                String now = core.driverOverride(a);
                if (!now.equals(ps.value())) {
                    throw new IOException("driver_override reads '" + now + "', expected '" + ps.value() + "'");
                }
            }
            case "unbind" -> {
                core.unbind(a);
                String now = core.driver(a);
                if (!now.isEmpty()) {
                    throw new IOException("still bound to " + now + " after unbind");
                }
            }
            case "probe" -> probeTo(core, a, ps.value());
            case "bind" -> {
                core.bind(a, ps.value());
                String now = core.awaitDriver(a, ps.value(), BIND_TIMEOUT_MS);
                if (!now.equals(ps.value())) {
                    throw new IOException("bound to '" + now + "' after bind, expected " + ps.value());
                }
            }
            case "vfioCheck" -> {
                DriverCore.GroupStatus s = core.groupStatus(Integer.parseInt(ps.value()));
                if (!s.present() || !s.viable()) {
                    throw new IOException("IOMMU group " + ps.value() + " is not viable for VFIO: " + s.detail());
                }
            }
            default -> throw new IllegalStateException("unknown step " + ps.action());
        }
    }

    /**
     * drivers_probe, then wait for {@code want} ("" = whatever the kernel picks, but not vfio-pci). When the
     * kernel binds nothing and a specific host driver is wanted, bind it explicitly.
     */
    private static void probeTo(DriverCore core, String a, String want) throws IOException {
        IOException probeError = null;
        try {
            core.probe(a);
        } catch (IOException e) {
            probeError = e; // judged by the result below: drivers_probe may complain yet bind
        }
        if (want.isEmpty()) {
            String now = core.driver(a);
            if (VFIO_PCI.equals(now)) {
                throw new IOException("still on vfio-pci after drivers_probe");
            }
            return;
        }
        String now = core.awaitDriver(a, want, BIND_TIMEOUT_MS);
        if (now.isEmpty() && !VFIO_PCI.equals(want)) {
            core.bind(a, want);
            now = core.awaitDriver(a, want, BIND_TIMEOUT_MS);
        }
        if (!now.equals(want)) {
            throw new IOException("bound to '" + (now.isEmpty() ? "no driver" : now) + "' after drivers_probe, expected "
                    + want + (probeError == null ? "" : " (" + probeError.getMessage() + ")"));
        }
    }

    // ---------------------------------------------------------------- rollback and repair

    private EngineException rollback(Ctx ctx, Journal journal, Journal.State state, Journal.Operation op,
            Journal.Step failed, Exception cause) {
        List<Journal.Step> undo = restoreBefore(ctx.core(), journal, state, op);
        boolean ok = undo.stream().noneMatch(s -> "failed".equals(s.state));
        op.status = ok ? "rolledBack" : "rollbackFailed";
        op.finished = Instant.now().toString();
        journal.save(state);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "StepFailed");
        details.put("operation", op.id);
        details.put("failedStep", failed);
        details.put("rollback", ok ? "rolledBack" : "rollbackFailed");
        details.put("steps", op.steps);
        String msg = op.kind + " failed at step " + failed.index + " (" + failed.action + " " + failed.address + "): "
                + cause.getMessage() + ". " + (ok ? "Rolled back: every function is as before."
                        : "Rollback failed too: run 'repair'.");
        return new EngineException(ErrorId.IoFailure, msg, failed.address, details);
    }

    /**
     * Brings every function of {@code op} back to its state before the operation, last function first.
     * Idempotent: looks at the live state, so it is right whichever step was interrupted. Each action is
     * journaled as a step of its own ({@code undo-*}).
     */
    private static List<Journal.Step> restoreBefore(DriverCore core, Journal journal, Journal.State state,
            Journal.Operation op) {
        List<Journal.Step> out = new ArrayList<>();
        List<Journal.DeviceState> rev = new ArrayList<>(op.devices);
        Collections.reverse(rev);
        for (Journal.DeviceState ds : rev) {
            String wantDrv = nz(ds.beforeDriver);
            String wantOv = nz(ds.beforeOverride);
            List<PlannedStep> todo = new ArrayList<>();
            String drv = core.driver(ds.address);
            if (!wantOv.equals(core.driverOverride(ds.address))) {
                todo.add(new PlannedStep("override", ds.address, wantOv));
            }
            if (!drv.equals(wantDrv)) {
                if (!drv.isEmpty()) {
                    todo.add(new PlannedStep("unbind", ds.address, drv));
                }
                if (!wantDrv.isEmpty()) {
                    todo.add(new PlannedStep("probe", ds.address, wantDrv));
                }
            }
            for (PlannedStep ps : todo) {
                Journal.Step s = new Journal.Step();
                s.index = op.steps.size();
                s.action = "undo-" + ps.action();
                s.address = ps.address();
                s.value = ps.value();
                s.state = "pending";
                s.at = Instant.now().toString();
                op.steps.add(s);
                journal.save(state);
                try {
                    apply(core, ps);
                    s.state = "done";
                } catch (IOException | RuntimeException e) {
                    s.state = "failed";
                    s.error = e.getMessage();
                }
                journal.save(state);
                out.add(s);
                if ("failed".equals(s.state)) {
                    break;
                }
            }
        }
        return out;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** {@code repair}: undoes an interrupted operation from the journal; reports pool drift either way. */
    public Object repair(Args args, Progress progress) {
        args.allow(Set.of("root", "stateDir", "whatIf"));
        boolean whatIf = args.flag("whatIf");
        Ctx ctx = context(args);
        Journal journal = new Journal(ctx.stateDir());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("stateDir", ctx.stateDir().toString());
        r.put("simulated", ctx.core().simulated());
        if (whatIf) {
            Journal.State state = journal.load();
            Journal.Operation op = state.operation;
            r.put("whatIf", true);
            r.put("needed", op != null && ("running".equals(op.status) || "rollbackFailed".equals(op.status)));
            r.put("operation", op);
            r.put("drift", drift(ctx, state));
            return r;
        }
        MutationGuard.checkRoot(ctx.root());
        try (HostLock lock = HostLock.acquire(ctx.stateDir())) {
            Journal.State state = journal.load();
            Journal.Operation op = state.operation;
            if (op == null || !("running".equals(op.status) || "rollbackFailed".equals(op.status))) {
                r.put("repaired", false);
                r.put("message", "Nothing to repair: the last operation finished"
                        + (op == null ? " (there is none)." : " (" + op.kind + " " + op.id + ": " + op.status + ")."));
                r.put("drift", drift(ctx, state));
                return r;
            }
            progress.report("Repairing", 0, op.kind + " " + op.id);
            int before = op.steps.size();
            List<Journal.Step> undo = restoreBefore(ctx.core(), journal, state, op);
            boolean ok = undo.stream().noneMatch(s -> "failed".equals(s.state));
            op.status = ok ? "repaired" : "rollbackFailed";
            op.finished = Instant.now().toString();
            journal.save(state);
            progress.report("Repairing", 100, op.status);
            r.put("repaired", ok);
            r.put("operation", op.id);
            r.put("kind", op.kind);
            r.put("status", op.status);
            r.put("interruptedAt", op.steps.subList(0, before).stream()
                    .filter(s -> !"done".equals(s.state)).findFirst().orElse(null));
            r.put("actions", undo);
            List<Map<String, Object>> ds = new ArrayList<>();
            for (Journal.DeviceState d : op.devices) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("address", d.address);
                m.put("driver", ctx.core().driver(d.address));
                m.put("expected", nz(d.beforeDriver));
                ds.add(m);
            }
            r.put("devices", ds);
            r.put("drift", drift(ctx, state));
            if (!ok) {
                throw new EngineException(ErrorId.IoFailure, "Repair of " + op.kind + " " + op.id
                        + " could not restore every function; see details.", op.id, r);
            }
            return r;
        }
    }

    // ---------------------------------------------------------------- pool

    /** {@code pool}: functions bound to vfio-pci, joined with what the journal remembers about them. */
    public Object pool(Args args, Progress progress) {
        args.allow(Set.of("root", "stateDir"));
        Ctx ctx = context(args);
        HostSnapshot snap = snapshot(ctx);
        Journal.State state = new Journal(ctx.stateDir()).load();
        List<Map<String, Object>> held = new ArrayList<>();
        for (PciDevice d : snap.devices()) {
            Journal.PoolEntry pe = state.pool.get(d.address());
            if (!VFIO_PCI.equals(d.driver()) && pe == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", d.address());
            m.put("locationPath", d.locationPath());
            m.put("instanceId", d.instanceId());
            m.put("vendorId", d.vendorId());
            m.put("deviceId", d.deviceId());
            m.put("className", d.className());
            m.put("driver", d.driver());
            m.put("group", d.iommuGroup());
            m.put("managed", pe != null);
            m.put("originalDriver", pe == null ? null : pe.originalDriver);
            m.put("since", pe == null ? null : pe.since);
            m.put("operation", pe == null ? null : pe.operation);
            m.put("state", VFIO_PCI.equals(d.driver()) ? (pe != null ? "held" : "heldOutside")
                    : "drifted (now " + (d.driver() == null ? "no driver" : d.driver()) + ")");
            held.add(m);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("devices", held);
        Journal.Operation op = state.operation;
        r.put("repairNeeded", op != null && ("running".equals(op.status) || "rollbackFailed".equals(op.status)));
        r.put("lastOperation", op == null ? null : Map.of("id", op.id, "kind", op.kind, "status", op.status));
        r.put("stateDir", ctx.stateDir().toString());
        return r;
    }

    private static List<String> drift(Ctx ctx, Journal.State state) {
        List<String> out = new ArrayList<>();
        for (Journal.PoolEntry pe : state.pool.values()) {
            String d = ctx.core().driver(pe.address);
            if (!VFIO_PCI.equals(d)) {
                out.add(pe.address + " is in the pool but bound to " + (d.isEmpty() ? "no driver" : d));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- disable / enable

    /**
     * The {@code driver_override} value that marks a function disabled (Windows' Disable-PnpDevice): it names
     * no driver, so neither {@code drivers_probe} nor a rescan binds anything until {@code enable} clears it.
     */
    public static final String DISABLED_OVERRIDE = "ddabridge-disabled";

    private static String activity(String kind) {
        return switch (kind) {
            case "mount" -> "Mounting";
            case "disable" -> "Disabling";
            case "enable" -> "Enabling";
            default -> "Dismounting";
        };
    }

    /**
     * {@code disable}: the selected functions (only those, not their groups) lose their host driver and stay
     * without one ({@link #DISABLED_OVERRIDE}). Same guards as dismount for the function itself (hard: bridge,
     * root disk, mounted filesystems, boot VGA; soft: in use, default-route NIC); functions in the pool are
     * refused ({@code InPool}: mount them first). Journaled and rolled back like dismount.
     */
    public Object disable(Args args, Progress progress) {
        return disableOrEnable(args, progress, true);
    }

    /**
     * {@code enable}: clears the disabled mark and lets the kernel bind the function's natural driver
     * ({@code drivers_probe}). Functions in the pool are refused ({@code InPool}: mount them first).
     */
    public Object enable(Args args, Progress progress) {
        return disableOrEnable(args, progress, false);
    }

    private Object disableOrEnable(Args args, Progress progress, boolean disable) {
        String kind = disable ? "disable" : "enable";
        args.allow(DISMOUNT_ARGS);
        boolean force = args.flag("force");
        boolean whatIf = args.flag("whatIf");
        Ctx ctx = context(args);
        HostSnapshot snap = snapshot(ctx);
        List<PciDevice> selected = selectNamed(args, snap, kind);
        Journal.State state = new Journal(ctx.stateDir()).load();
        HostUseScan use = new HostUseScan(ctx.root());

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
                hard.add(new Guard("InPool", true, a, a + " is in the assignable-device pool (vfio-pci): mount it first."));
                e.put("plan", "refused");
                continue;
            }
            if (disable) {
                GroupPlan g = new GroupPlan();
                if (isBridge(d, config(snap, d))) {
                    g.guards.add(new Guard("Bridge", true, a, a + " is a bridge or port: disabling it would cut off "
                            + "every device behind it."));
                }
                hostUseGuards(use, g, d);
                for (Guard gd : g.guards) {
                    (gd.hard() ? hard : soft).add(gd);
                }
                e.put("guards", g.guards);
                if (DISABLED_OVERRIDE.equals(ov) && drv.isEmpty()) {
                    e.put("plan", "alreadyDisabled");
                    continue;
                }
                e.put("plan", "disable");
                devices.add(deviceState(a, d.iommuGroup(), drv, ov, "", DISABLED_OVERRIDE));
                steps.add(new PlannedStep("override", a, DISABLED_OVERRIDE));
                if (!drv.isEmpty()) {
                    steps.add(new PlannedStep("unbind", a, drv));
                }
            } else {
                if (!DISABLED_OVERRIDE.equals(ov) && !drv.isEmpty()) {
                    e.put("plan", "alreadyEnabled");
                    continue;
                }
                e.put("plan", "enable");
                String keepOv = DISABLED_OVERRIDE.equals(ov) ? "" : ov;
                devices.add(deviceState(a, d.iommuGroup(), drv, ov, "", keepOv));
                if (!keepOv.equals(ov)) {
                    steps.add(new PlannedStep("override", a, keepOv));
                }
                if (drv.isEmpty()) {
                    steps.add(new PlannedStep("probe", a, ""));
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
            return r;
        }
        if (refusal != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", refusal);
            details.put("hardGuards", hard);
            details.put("softGuards", soft);
            details.put("forceHelps", hard.isEmpty());
            Guard first = !hard.isEmpty() ? hard.get(0) : soft.get(0);
            throw new EngineException(ErrorId.Refused, (disable ? "Disable" : "Enable") + " refused: " + first.message()
                    + (hard.isEmpty() ? " Use force to " + kind + " anyway." : ""), first.address(), details);
        }
        Map<String, Object> result = execute(ctx, kind, steps, devices, progress);
        result.put("plan", plan);
        return result;
    }
}
