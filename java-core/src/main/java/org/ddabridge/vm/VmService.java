package org.ddabridge.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.ddabridge.driver.linux.Libvirt;
import org.ddabridge.driver.linux.VfioHolders;
import org.ddabridge.model.PciAddress;

/**
 * The VM commands, engine-independent: {@code vm-add} (a dismounted function's whole IOMMU group into a VM),
 * {@code vm-remove}, {@code vm-list} and the VM part of {@code repair}. Typed requests in, records out,
 * {@link VmException}s for failures; the engine adapts arguments and errors.
 *
 * <p>{@code vm-add} journals every step ({@link VmJournal}) before and after it runs and rolls back on a failure;
 * after a crash, {@link #repair} takes a half-made attach back out of the VM, so the group ends where it was
 * (on vfio-pci, in no VM).
 */
public final class VmService {
    /** Default time a removal waits for the guest to let go of the devices. */
    public static final Duration REMOVE_WAIT = Duration.ofSeconds(30);

    /** Crash points of each step, for the e2e crash tests: after its intent is journaled, after it took effect. */
    @FunctionalInterface
    public interface CrashPoint {
        CrashPoint NONE = (step, applied) -> { };

        void at(int step, boolean applied);
    }

    private final Path hostRoot;
    private final Path procRoot;
    private final Function<VmRef, VmBackend> opener;
    private final CrashPoint crash;

    public VmService(Path hostRoot, Path procRoot, Function<VmRef, VmBackend> opener, CrashPoint crash) {
        this.hostRoot = hostRoot;
        this.procRoot = procRoot;
        this.opener = opener;
        this.crash = crash;
    }

    /** The same service on another host root (a fake tree in tests): sysfs under {@code hostRoot}, proc under {@code procRoot}. */
    public VmService withRoot(Path hostRoot, Path procRoot) {
        return new VmService(hostRoot, procRoot, opener, crash);
    }

    /** This machine: sysfs under {@code /}, {@code /proc}, real QMP and libvirt. */
    public static VmService live(CrashPoint crash) {
        return new VmService(Path.of("/"), Path.of("/proc"), VmBackend::open, crash);
    }

    /** {@code vm-add}'s result. */
    public record Added(String vm, int group, List<String> functions, List<String> steps, long mmio64Kib, List<String> warnings,
            boolean whatIf) {
        public Added {
            warnings = List.copyOf(warnings);
        }
    }

    /** {@code vm-remove}'s result; {@code pending}: the guest has not completed the removal within the limit. */
    public record Removed(String vm, int group, List<String> removed, List<String> pending, boolean whatIf) {
    }

    /** One VM as {@code vm-list} shows it. */
    public record VmView(String vm, String kind, String state, List<String> devices, List<Integer> vfioGroups, Integer pid,
            String uuid, Long pciHole64Kib) {
    }

    /** {@code repair}'s VM part. */
    public record Repaired(String kind, String vm, String statusBefore, String statusAfter, List<String> undone) {
    }

    /** Gives {@code f}'s whole group (all on vfio-pci) to {@code vm}; the 64-bit MMIO is the group's BAR sum from sysfs. */
    public Added add(PciAddress f, VmRef vm, boolean whatIf, Path stateDir) {
        return add(f, vm, whatIf, stateDir, -1);
    }

    /**
     * Gives {@code f}'s whole group (all on vfio-pci) to {@code vm}; {@code mmio64Kib} is the 64-bit PCI hole the
     * group needs (the survey's figure; negative: the BAR sum from sysfs), which a libvirt domain's hole must hold.
     */
    public Added add(PciAddress f, VmRef vm, boolean whatIf, Path stateDir, long mmio64Kib) {
        HostGroup g = HostGroup.of(hostRoot, f);
        long need = mmio64Kib >= 0 ? mmio64Kib : g.mmio64Kib();
        List<PciAddress> fns = g.endpoints();
        if (!g.notOnVfio().isEmpty()) {
            throw new VmException(VmErrorId.NotDismounted, "group " + g.number() + " is not all on vfio-pci ("
                    + String.join(", ", g.notOnVfio().stream().map(m -> m.address() + " on " + (m.driver().isEmpty()
                    ? "no driver" : m.driver())).toList()) + "): dismount " + f + " first");
        }
        VmJournal journal = new VmJournal(stateDir);
        VmJournal.Operation prior = journal.load();
        if (!whatIf && prior != null && prior.needsRepair()) {
            throw new VmException(VmErrorId.RepairNeeded, "the last VM operation (" + prior.kind + " on "
                    + prior.vm().display() + ") did not finish: run repair first");
        }
        try (VmBackend b = opener.apply(vm)) {
            List<String> warnings = b.attachWarnings(fns, need);
            if (whatIf) {
                VmOps.Attached a = VmOps.attach(b, fns, need, true, VmOps.NONE);
                return new Added(vm.display(), g.number(), names(fns), a.steps().stream().map(VmStep::describe).toList(),
                        need, warnings, true);
            }
            journal.begin("vm-add", vm);
            CrashingLog log = new CrashingLog(journal, crash);
            try {
                VmOps.Attached a = VmOps.attach(b, fns, need, false, log);
                journal.finish("done", null);
                return new Added(vm.display(), g.number(), names(fns), a.steps().stream().map(VmStep::describe).toList(),
                        need, warnings, false);
            } catch (RuntimeException e) {
                journal.finish(log.undoFailed ? "rollbackFailed" : "rolledBack", e.getMessage());
                throw e;
            }
        }
    }

    /** Takes {@code f}'s whole group out of {@code vm}, waiting up to {@code limit} for the guest. */
    public Removed remove(PciAddress f, VmRef vm, boolean whatIf, Path stateDir, Duration limit) {
        HostGroup g = HostGroup.of(hostRoot, f);
        List<PciAddress> fns = g.endpoints();
        try (VmBackend b = opener.apply(vm)) {
            if (whatIf) {
                VmBackend.Detached d = VmOps.detach(b, fns, limit, true);
                return new Removed(vm.display(), g.number(), names(d.removed()), List.of(), true);
            }
            VmJournal journal = new VmJournal(stateDir);
            journal.begin("vm-remove", vm);
            VmBackend.Detached d = VmOps.detach(b, fns, limit, false);
            journal.finish("done", d.pending().isEmpty() ? null : "removal pending in the guest: " + names(d.pending()));
            return new Removed(vm.display(), g.number(), names(d.removed()), names(d.pending()), false);
        }
    }

    /** One VM ({@code vm} given), or every QEMU process of this host plus the domains on {@code uri}. */
    public List<VmView> list(VmRef vm, String uri) {
        List<VmView> out = new ArrayList<>();
        if (vm != null) {
            try (VmBackend b = opener.apply(vm)) {
                out.add(new VmView(vm.display(), vm instanceof VmRef.Qmp ? "qmp" : "libvirt", b.state(), names(b.attached()),
                        List.of(), null, b.uuid(), b.pciHole64Kib()));
            }
            return out;
        }
        List<VfioHolders.QemuProcess> procs = VfioHolders.qemuProcesses(procRoot);
        List<String> named = new ArrayList<>();
        try {
            LibvirtApi api = LibvirtApi.load();
            try (LibvirtApi.Connection c = api.open(uri == null ? LibvirtApi.DEFAULT_URI : uri)) {
                for (Libvirt.Domain d : c.listDomains()) {
                    List<String> devs = new ArrayList<>();
                    HostdevXml.DomainInfo info = d.state().live() || d.persistent()
                            ? HostdevXml.parseDomain(c.xml(d.name(), !d.state().live())) : null;
                    if (info != null) {
                        info.hostdevs().forEach(h -> devs.add(String.valueOf(h.source())));
                    }
                    long hole = info == null ? 0 : LibvirtSettings.effectiveKib(info);
                    VfioHolders.QemuProcess p = procs.stream().filter(q -> d.name().equals(q.vmName())).findFirst().orElse(null);
                    named.add(d.name());
                    out.add(new VmView(d.name(), "libvirt", d.state().name().toLowerCase(java.util.Locale.ROOT), devs,
                            p == null ? List.of() : p.vfioGroups(), p == null ? null : p.pid(),
                            info == null || info.uuid().isEmpty() ? null : info.uuid(), hole == 0 ? null : hole));
                }
            }
        } catch (VmException e) {
            // no libvirt, or no daemon: the QEMU processes are still listed
        }
        for (VfioHolders.QemuProcess p : procs) {
            if (p.vmName() != null && named.contains(p.vmName())) {
                continue;
            }
            String name = p.qmpSocket() != null ? "qmp:" + p.qmpSocket() : p.vmName() != null ? p.vmName() : "pid " + p.pid();
            out.add(new VmView(name, "qemu", "running", List.of(), p.vfioGroups(), p.pid(), null, null));
        }
        return out;
    }

    /**
     * Applies Microsoft's DDA VM settings to {@code vm} ({@code vm-set}). One definition change at most (the libvirt
     * {@code <pcihole64>}), atomic in libvirt, so there is no journal step; {@code whatIf} reports and changes nothing.
     */
    public VmSettings.Result set(VmRef vm, VmSettings settings, boolean whatIf) {
        if (settings.isEmpty()) {
            throw new VmException(VmErrorId.InvalidSetting, "nothing to set: give lowMemoryMappedIoSpace,"
                    + " highMemoryMappedIoSpace, automaticStopAction or guestControlledCacheTypes");
        }
        try (VmBackend b = opener.apply(vm)) {
            return b.applySettings(settings, whatIf);
        }
    }

    /** Undoes an interrupted {@code vm-add} (its steps that may have run, newest first); null when nothing to do. */
    public Repaired repair(Path stateDir) {
        VmJournal journal = new VmJournal(stateDir);
        VmJournal.Operation op = journal.load();
        if (op == null || !op.needsRepair()) {
            return null;
        }
        String before = op.status;
        journal.resume(op);
        List<VmStep> steps = VmJournal.mayHaveRun(op);
        List<String> undone = new ArrayList<>();
        if ("vm-add".equals(op.kind) && !steps.isEmpty()) {
            CrashingLog log = new CrashingLog(journal, CrashPoint.NONE);
            try (VmBackend b = opener.apply(op.vm())) {
                VmOps.rollback(b, steps, log);
            }
            if (log.undoFailed) {
                journal.finish("rollbackFailed", "repair could not undo every step");
                return new Repaired(op.kind, op.vm().display(), before, "rollbackFailed", undone);
            }
            steps.forEach(s -> undone.add(s.describe()));
        }
        journal.finish("repaired", null);
        return new Repaired(op.kind, op.vm().display(), before, "repaired", undone);
    }

    private static List<String> names(List<PciAddress> fns) {
        return fns.stream().map(PciAddress::toString).toList();
    }

    /** The journal plus the crash points, and whether an undo failed. */
    private static final class CrashingLog implements VmOps.StepLog {
        private final VmJournal journal;
        private final CrashPoint crash;
        private int index = -1;
        boolean undoFailed;

        CrashingLog(VmJournal journal, CrashPoint crash) {
            this.journal = journal;
            this.crash = crash;
        }

        @Override
        public void pending(VmStep s) {
            index++;
            journal.pending(s);
            crash.at(index, false);
        }

        @Override
        public void done(VmStep s) {
            crash.at(index, true);
            journal.done(s);
        }

        @Override
        public void failed(VmStep s, String error) {
            journal.failed(s, error);
        }

        @Override
        public void undone(VmStep s) {
            journal.undone(s);
        }

        @Override
        public void undoFailed(VmStep s, String error) {
            undoFailed = true;
            journal.undoFailed(s, error);
        }
    }
}
