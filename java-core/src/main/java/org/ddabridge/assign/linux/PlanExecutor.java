package org.ddabridge.assign.linux;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.assign.PlannedStep;
import org.ddabridge.assign.StepAction;
import org.ddabridge.util.MutationGuard;

/**
 * Runs a plan: holds the host lock, journals each step (synced) before doing it, rolls back in reverse on
 * failure, and commits the pool together with the operation's final status in one atomic journal write.
 */
final class PlanExecutor {
    private final CrashHook crashHook;

    PlanExecutor(CrashHook crashHook) {
        this.crashHook = crashHook;
    }

    /** The kinds of operation, with their progress activity. */
    enum Kind {
        DISMOUNT("dismount", "Dismounting"), MOUNT("mount", "Mounting"), DISABLE("disable", "Disabling"),
        ENABLE("enable", "Enabling");

        final String json;
        final String activity;

        Kind(String json, String activity) {
            this.json = json;
            this.activity = activity;
        }
    }

    Map<String, Object> execute(RequestContext ctx, Kind kind, List<PlannedStep> steps,
            List<Journal.DeviceState> devices, Progress progress) {
        MutationGuard.checkRoot(ctx.root());
        long t0 = System.nanoTime();
        try (HostLock lock = HostLock.acquire(ctx.stateDir())) {
            Journal journal = ctx.journal();
            Journal.State state = journal.load();
            requireNoPendingRepair(state, journal);
            Journal.Operation op = new Journal.Operation();
            op.id = kind.json + "-" + UUID.randomUUID().toString().substring(0, 8);
            op.kind = kind.json;
            op.status = "running";
            op.started = Instant.now().toString();
            op.devices = devices;
            state.operation = op;
            journal.save(state);
            int i = 0;
            for (PlannedStep ps : steps) {
                Journal.Step s = journaled(op, ps.action(), ps);
                saveOrRollBack(ctx, journal, state, op, s);
                crashHook.at(i, CrashHook.Phase.JOURNALED);
                progress.report(kind.activity, steps.isEmpty() ? 100 : i * 100 / steps.size(), ps.description());
                try {
                    StepRunner.apply(ctx.core(), ctx.boot(), ps);
                } catch (IOException | RuntimeException e) {
                    s.state = "failed";
                    s.error = e.getMessage();
                    op.failure = "step " + i + " (" + ps.description() + ") failed: " + e.getMessage();
                    trySave(journal, state);
                    throw rollback(ctx, journal, state, op, s, e);
                }
                crashHook.at(i, CrashHook.Phase.APPLIED);
                s.state = "done";
                saveOrRollBack(ctx, journal, state, op, s);
                i++;
            }
            String now = Instant.now().toString();
            Map<String, Journal.PoolEntry> poolBefore = new java.util.TreeMap<>(state.pool);
            commitPool(state, op, kind, devices, now);
            op.status = "done";
            op.finished = now;
            try {
                journal.save(state);
            } catch (EngineException e) {
                state.pool = poolBefore;
                op.status = "running";
                op.finished = null;
                throw journalFailed(ctx, journal, state, op, op.steps.isEmpty() ? null : op.steps.get(
                        op.steps.size() - 1), e);
            }
            progress.report(kind.activity, 100, "done");
            return result(ctx, op, devices, t0);
        }
    }

    private static void commitPool(Journal.State state, Journal.Operation op, Kind kind,
            List<Journal.DeviceState> devices, String now) {
        for (Journal.DeviceState ds : devices) {
            if (kind == Kind.DISMOUNT) {
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
                if (ds.afterPersisted != null) {
                    pe.persistent = ds.afterPersisted;
                }
            } else if (kind == Kind.MOUNT) {
                state.pool.remove(ds.address);
            }
        }
    }

    private static Map<String, Object> result(RequestContext ctx, Journal.Operation op,
            List<Journal.DeviceState> devices, long t0) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("operation", op.id);
        r.put("kind", op.kind);
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

    private static Journal.Step journaled(Journal.Operation op, String action, PlannedStep ps) {
        Journal.Step s = new Journal.Step();
        s.index = op.steps.size();
        s.action = action;
        s.address = ps.address();
        s.value = ps.value();
        s.state = "pending";
        s.at = Instant.now().toString();
        op.steps.add(s);
        return s;
    }

    static void requireNoPendingRepair(Journal.State state, Journal journal) {
        Journal.Operation op = state.operation;
        if (op != null && op.needsRepair()) {
            throw new EngineException(ErrorId.Refused, "The " + op.kind + " operation " + op.id
                    + " did not finish (status " + op.status + "; journal " + journal.file()
                    + "). Run 'repair' first.", op.id, Map.of("reason", "RepairNeeded", "operation", op.id));
        }
    }

    /** Saves the journal; when that fails, the steps done so far are undone (see {@link #journalFailed}). */
    private void saveOrRollBack(RequestContext ctx, Journal journal, Journal.State state, Journal.Operation op,
            Journal.Step current) {
        try {
            journal.save(state);
        } catch (EngineException e) {
            throw journalFailed(ctx, journal, state, op, current, e);
        }
    }

    /**
     * The journal could not be written mid-plan: going on would change devices without a record, so the
     * steps already done are rolled back (from memory; the journal writes of the rollback are tried but may
     * fail too). The journal on disk then still shows the operation running, so mutations refuse until
     * {@code repair} ran, which finds the devices already restored.
     */
    private EngineException journalFailed(RequestContext ctx, Journal journal, Journal.State state,
            Journal.Operation op, Journal.Step current, EngineException cause) {
        if (current != null && "pending".equals(current.state)) {
            current.state = "failed";
            current.error = "not run: " + cause.getMessage();
        }
        op.failure = "journal write failed: " + cause.getMessage();
        EngineException e = rollback(ctx, journal, state, op, current, cause);
        Map<String, Object> details = new LinkedHashMap<>(castMap(e.details()));
        details.put("reason", "JournalWriteFailed");
        details.put("remediation", "Make the state directory " + ctx.stateDir() + " writable (space, permissions), "
                + "then run 'repair'.");
        return new EngineException(ErrorId.IoFailure, op.kind + " stopped: the journal in " + ctx.stateDir()
                + " could not be written (" + cause.getMessage() + "). "
                + ("rolledBack".equals(details.get("rollback")) ? "Rolled back: every function is as before. "
                        : "Rollback failed too. ") + "Fix the state directory, then run 'repair'.",
                ctx.stateDir().toString(), details);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static boolean trySave(Journal journal, Journal.State state) {
        try {
            journal.save(state);
            return true;
        } catch (EngineException e) {
            return false;
        }
    }

    private EngineException rollback(RequestContext ctx, Journal journal, Journal.State state, Journal.Operation op,
            Journal.Step failed, Exception cause) {
        List<Journal.Step> undo = restoreBefore(ctx.core(), ctx.boot(), journal, state, op);
        boolean ok = undo.stream().noneMatch(s -> "failed".equals(s.state));
        op.status = ok ? "rolledBack" : "rollbackFailed";
        op.finished = Instant.now().toString();
        trySave(journal, state);
        if (failed == null) {
            failed = new Journal.Step();
            failed.action = "commit";
            failed.address = "";
        }
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
     * journaled as a step of its own ({@code undo-*}). The persisted list is restored first, for the functions
     * whose persistence the operation meant to change ({@code beforePersisted} set).
     */
    static List<Journal.Step> restoreBefore(DriverCore core, BootPersistence boot, Journal journal,
            Journal.State state, Journal.Operation op) {
        List<Journal.Step> out = new ArrayList<>();
        List<Journal.DeviceState> rev = new ArrayList<>(op.devices);
        Collections.reverse(rev);
        for (Journal.DeviceState ds : rev) {
            String wantDrv = nz(ds.beforeDriver);
            String wantOv = nz(ds.beforeOverride);
            List<PlannedStep> todo = new ArrayList<>();
            if (ds.beforePersisted != null && boot.isPersisted(ds.address) != ds.beforePersisted) {
                todo.add(PlannedStep.of(ds.beforePersisted ? StepAction.PERSIST : StepAction.UNPERSIST, ds.address,
                        StepRunner.VFIO_PCI));
            }
            String drv = core.driver(ds.address);
            if (!wantOv.equals(core.driverOverride(ds.address))) {
                todo.add(PlannedStep.of(StepAction.OVERRIDE, ds.address, wantOv));
            }
            if (!drv.equals(wantDrv)) {
                if (!drv.isEmpty()) {
                    todo.add(PlannedStep.of(StepAction.UNBIND, ds.address, drv));
                }
                if (!wantDrv.isEmpty()) {
                    todo.add(PlannedStep.of(StepAction.PROBE, ds.address, wantDrv));
                }
            }
            for (PlannedStep ps : todo) {
                Journal.Step s = journaled(op, "undo-" + ps.action(), ps);
                // Undoing goes on even when the journal cannot be written: the devices matter more.
                trySave(journal, state);
                try {
                    StepRunner.apply(core, boot, ps);
                    s.state = "done";
                } catch (IOException | RuntimeException e) {
                    s.state = "failed";
                    s.error = e.getMessage();
                }
                trySave(journal, state);
                out.add(s);
                if ("failed".equals(s.state)) {
                    break;
                }
            }
        }
        return out;
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }
}
