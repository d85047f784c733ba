package org.ddabridge.assign.windows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.ddabridge.driver.windows.WindowsHostControl;
import org.ddabridge.survey.PnpDevice;
/**
 * Assigning a device to a Hyper-V VM and giving it back, as a plan of steps that is shown (what-if), run in
 * order with a journal, and reversed on failure: the same design as the Linux assignment (plan, journal,
 * reverse the completed steps newest first).
 *
 * <p>Assign: disable the node, dismount it into the pool, prepare the VM (AutomaticStopAction TurnOff; for
 * display devices GuestControlledCacheTypes on; MMIO gaps raised to what the device needs, never lowered),
 * add it to the VM. Unassign: remove from the VM, mount, enable. Steps whose goal already holds are planned
 * as {@code skip} so re-running is harmless.
 */
public final class WindowsAssignment {
    /** What to assign. {@code lowMmio}/{@code highMmio}: bytes the device needs (0 = leave the VM alone). */
    public record Request(String vmName, String instanceId, String locationPath, boolean display, long lowMmio,
            long highMmio, boolean force) {
    }

    /**
     * One step.
     *
     * @param action  disable, dismount, prepareVm, addToVm, removeFromVm, mount, enable
     * @param target  the device or VM
     * @param detail  what it changes, for people
     * @param skip    the goal already holds; nothing will be done
     */
    public record Step(String action, String target, String detail, boolean skip) {
    }

    /** One journal line: a step's outcome. */
    public record JournalEntry(String time, String action, String target, String outcome, String message) {
    }

    /** The outcome of a run. {@code status}: whatIf, done, rolledBack, rollbackIncomplete. */
    public record Outcome(String status, List<Step> plan, List<JournalEntry> journal, String error) {
    }

    /** Hyper-V's documented range of {@code LowMmioGapSize} (Set-VM -LowMemoryMappedIoSpace): 128 MB to 3584 MB. */
    public static final long LOW_MMIO_MIN = 128L << 20;
    public static final long LOW_MMIO_MAX = 3584L << 20;
    private static final long MB = 1L << 20;

    private final WindowsHostControl host;
    // Set by this run's dismount step.
    private String pooledIdentity;

    public WindowsAssignment(WindowsHostControl host) {
        this.host = host;
    }

    /** The steps assigning {@code r} would take on this host now. */
    public List<Step> planAssign(Request r) {
        if (!host.vmExists(r.vmName())) {
            throw new WindowsHostControl.ControlException("VmNotFound", "No VM named '" + r.vmName() + "'.");
        }
        List<Step> plan = new ArrayList<>();
        boolean inPool = host.pool().contains(r.locationPath());
        WindowsHostControl.NodeState node = host.nodeState(r.instanceId());
        plan.add(new Step("disable", r.instanceId(), "CM_Disable_DevNode: the host driver lets go",
                inPool || node == WindowsHostControl.NodeState.DISABLED));
        plan.add(new Step("dismount", r.locationPath(), "DismountAssignableDevice" + (r.force() ? " (force)" : ""),
                inPool));
        WindowsHostControl.VmSettings want = vmChanges(r, host.vmSettings(r.vmName()));
        // Hyper-V changes MMIO gaps only while the VM is off: refuse before anything is touched.
        if (want != null && (want.lowMmioBytes() != null || want.highMmioBytes() != null) && !host.vmOff(r.vmName())) {
            throw new WindowsHostControl.ControlException("VmMustBeOff", "VM '" + r.vmName() + "' must be off to "
                    + "change its MMIO gaps (" + describe(want) + "): Stop-VM -Name '" + r.vmName()
                    + "', then run again.");
        }
        plan.add(new Step("prepareVm", r.vmName(), describe(want), want == null));
        plan.add(new Step("addToVm", r.vmName(), "AddResourceSettings " + r.locationPath(),
                host.assigned(r.vmName()).contains(r.locationPath())));
        return plan;
    }

    /** The steps giving the device back. */
    public List<Step> planUnassign(Request r) {
        List<Step> plan = new ArrayList<>();
        boolean assigned = host.vmExists(r.vmName()) && host.assigned(r.vmName()).contains(r.locationPath());
        boolean inPool = host.pool().contains(r.locationPath());
        plan.add(new Step("removeFromVm", r.vmName(), "RemoveResourceSettings " + r.locationPath(), !assigned));
        plan.add(new Step("mount", r.locationPath(), "MountAssignableDevice", !inPool));
        plan.add(new Step("enable", r.instanceId(), "CM_Enable_DevNode: the host driver loads again", false));
        return plan;
    }

    /** Taking the device from the host into the pool (Disable-PnpDevice + Dismount-VMHostAssignableDevice). */
    public List<Step> planDismount(Request r) {
        boolean inPool = host.pool().contains(r.locationPath());
        WindowsHostControl.NodeState node = host.nodeState(r.instanceId());
        return List.of(
                new Step("disable", r.instanceId(), "CM_Disable_DevNode: the host driver lets go",
                        inPool || node == WindowsHostControl.NodeState.DISABLED),
                new Step("dismount", r.locationPath(), "DismountAssignableDevice" + (r.force() ? " (force)" : ""),
                        inPool));
    }

    /** Giving a pooled device back to the host (Mount-VMHostAssignableDevice + Enable-PnpDevice). */
    public List<Step> planMount(Request r) {
        boolean inPool = host.pool().contains(r.locationPath());
        return List.of(
                new Step("mount", r.locationPath(), "MountAssignableDevice", !inPool),
                new Step("enable", r.instanceId(), "CM_Enable_DevNode: the host driver loads again",
                        !inPool && host.nodeState(r.instanceId()) != WindowsHostControl.NodeState.DISABLED));
    }

    /** Dismounts into the pool; {@code whatIf} only plans. */
    public Outcome dismount(Request r, boolean whatIf) {
        List<Step> plan = planDismount(r);
        return whatIf ? new Outcome("whatIf", plan, List.of(), null) : execute(r, plan, null);
    }

    /** Mounts back to the host; {@code whatIf} only plans. */
    public Outcome mount(Request r, boolean whatIf) {
        List<Step> plan = planMount(r);
        return whatIf ? new Outcome("whatIf", plan, List.of(), null) : execute(r, plan, null);
    }

    /** VM settings to change, or null when the VM already fits. */
    WindowsHostControl.VmSettings vmChanges(Request r, WindowsHostControl.VmSettings now) {
        String stop = "TurnOff".equals(now.automaticStopAction()) ? null : "TurnOff";
        Boolean cache = r.display() && !Boolean.TRUE.equals(now.guestControlledCacheTypes()) ? Boolean.TRUE : null;
        if (r.lowMmio() > LOW_MMIO_MAX) {
            throw new WindowsHostControl.ControlException("MmioOutOfRange", r.locationPath() + " needs "
                    + r.lowMmio() / MB + " MB of MMIO below 4 GiB; Hyper-V's LowMemoryMappedIoSpace is at most "
                    + LOW_MMIO_MAX / MB + " MB.");
        }
        // Whole MB (the WMI unit), the low gap never below its documented minimum.
        long lowWant = r.lowMmio() > 0 ? Math.max(LOW_MMIO_MIN, roundUpMb(r.lowMmio())) : 0;
        long highWant = r.highMmio() > 0 ? roundUpMb(r.highMmio()) : 0;
        Long low = lowWant > 0 && (now.lowMmioBytes() == null || now.lowMmioBytes() < lowWant) ? lowWant : null;
        Long high = highWant > 0 && (now.highMmioBytes() == null || now.highMmioBytes() < highWant) ? highWant : null;
        if (stop == null && cache == null && low == null && high == null) {
            return null;
        }
        return new WindowsHostControl.VmSettings(stop, cache, low, high);
    }

    private static long roundUpMb(long bytes) {
        return (bytes + MB - 1) / MB * MB;
    }

    private static String describe(WindowsHostControl.VmSettings s) {
        if (s == null) {
            return "VM settings already fit";
        }
        List<String> parts = new ArrayList<>();
        if (s.automaticStopAction() != null) {
            parts.add("AutomaticStopAction=" + s.automaticStopAction());
        }
        if (s.guestControlledCacheTypes() != null) {
            parts.add("GuestControlledCacheTypes=" + s.guestControlledCacheTypes());
        }
        if (s.lowMmioBytes() != null) {
            parts.add("LowMemoryMappedIoSpace=" + (s.lowMmioBytes() >> 20) + "MB");
        }
        if (s.highMmioBytes() != null) {
            parts.add("HighMemoryMappedIoSpace=" + (s.highMmioBytes() >> 20) + "MB");
        }
        return "ModifySystemSettings " + String.join(", ", parts);
    }

    /** Assigns; {@code whatIf} only plans. */
    public Outcome assign(Request r, boolean whatIf) {
        List<Step> plan = planAssign(r);
        WindowsHostControl.VmSettings before = host.vmSettings(r.vmName());
        return whatIf ? new Outcome("whatIf", plan, List.of(), null) : execute(r, plan, before);
    }

    /** Gives the device back; {@code whatIf} only plans. */
    public Outcome unassign(Request r, boolean whatIf) {
        List<Step> plan = planUnassign(r);
        return whatIf ? new Outcome("whatIf", plan, List.of(), null) : execute(r, plan, null);
    }

    private Outcome execute(Request r, List<Step> plan, WindowsHostControl.VmSettings vmBefore) {
        pooledIdentity = null;
        List<JournalEntry> journal = new ArrayList<>();
        List<Step> done = new ArrayList<>();
        for (Step s : plan) {
            if (s.skip()) {
                journal.add(entry(s, "skipped", s.detail()));
                continue;
            }
            try {
                String pooled = apply(r, s);
                if (pooled != null) {
                    // The pooled identity is what mount must name; the journal keeps it for the rollback.
                    pooledIdentity = pooled;
                    journal.add(entry(s, "done", s.detail() + " -> " + pooled));
                } else {
                    journal.add(entry(s, "done", s.detail()));
                }
                done.add(s);
            } catch (RuntimeException e) {
                journal.add(entry(s, "failed", e.getMessage()));
                boolean clean = true;
                for (int i = done.size() - 1; i >= 0; i--) {
                    Step u = done.get(i);
                    try {
                        undo(r, u, vmBefore);
                        journal.add(entry(u, "undone", "reversed " + u.action()));
                    } catch (RuntimeException ue) {
                        clean = false;
                        journal.add(entry(u, "undoFailed", ue.getMessage()));
                    }
                }
                return new Outcome(clean ? "rolledBack" : "rollbackIncomplete", plan, List.copyOf(journal),
                        s.action() + " failed: " + e.getMessage());
            }
        }
        return new Outcome("done", plan, List.copyOf(journal), null);
    }

    /** Runs one step; returns the pooled identity when the step dismounted the device, else null. */
    private String apply(Request r, Step s) {
        switch (s.action()) {
            case "disable" -> host.disable(r.instanceId());
            case "dismount" -> {
                return host.dismount(r.instanceId(), r.locationPath(), r.force());
            }
            case "prepareVm" -> host.setVmSettings(r.vmName(), vmChanges(r, host.vmSettings(r.vmName())));
            case "addToVm" -> host.addToVm(r.vmName(), r.locationPath());
            case "removeFromVm" -> host.removeFromVm(r.vmName(), r.locationPath());
            case "mount" -> host.mount(pooled(r), r.locationPath());
            case "enable" -> host.enable(r.instanceId());
            default -> throw new IllegalStateException("unknown step " + s.action());
        }
        return null;
    }

    /**
     * The device's pooled identity: from this run's dismount, else looked up among the pool's
     * {@code Msvm_PciExpress} by location path (a device dismounted by an earlier run or by Hyper-V's cmdlets).
     */
    private String pooled(Request r) {
        if (pooledIdentity != null) {
            return pooledIdentity;
        }
        return host.pooledInstancePath(r.locationPath()).orElseThrow(() -> new WindowsHostControl.ControlException(
                "NotInPool", "No dismounted device at " + r.locationPath() + "."));
    }

    private void undo(Request r, Step s, WindowsHostControl.VmSettings vmBefore) {
        switch (s.action()) {
            case "disable" -> host.enable(r.instanceId());
            case "dismount" -> host.mount(pooled(r), r.locationPath());
            case "prepareVm" -> host.setVmSettings(r.vmName(), vmBefore);
            case "addToVm" -> host.removeFromVm(r.vmName(), r.locationPath());
            case "removeFromVm" -> host.addToVm(r.vmName(), r.locationPath());
            case "mount" -> host.dismount(r.instanceId(), r.locationPath(), r.force());
            case "enable" -> host.disable(r.instanceId());
            default -> throw new IllegalStateException("unknown step " + s.action());
        }
    }

    private static JournalEntry entry(Step s, String outcome, String message) {
        return new JournalEntry(Instant.now().toString(), s.action(), s.target(), outcome, message);
    }
}
