package org.ddabridge.assign.linux;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.check.BootPersistenceCheck;
import org.ddabridge.driver.linux.DriverctlOverrides;
import org.ddabridge.driver.linux.PersistedAssignments;
import org.ddabridge.model.BootOverride;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.util.MutationGuard;

/** {@code pool} (what is held, joined with the journal) and {@code repair} (undo an interrupted operation). */
final class PoolAndRepair {
    private static final String VFIO_PCI = StepRunner.VFIO_PCI;

    private PoolAndRepair() {
    }

    /** Undoes an interrupted operation from the journal; reports pool drift either way. */
    static Object repair(RequestContext ctx, boolean whatIf, Progress progress) {
        Journal journal = ctx.journal();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("stateDir", ctx.stateDir().toString());
        r.put("simulated", ctx.core().simulated());
        if (whatIf) {
            Journal.State state;
            try {
                state = journal.load();
            } catch (EngineException e) {
                if (e.id() != ErrorId.JournalCorrupt) {
                    throw e;
                }
                r.put("whatIf", true);
                r.put("needed", true);
                r.put("journal", e.details());
                WhatIf.record(r, WhatIf.liveGuard(ctx));
                return r;
            }
            r.put("whatIf", true);
            r.put("needed", Journal.needsRepair(state));
            r.put("operation", state.operation);
            r.put("drift", drift(ctx, state));
            WhatIf.record(r, WhatIf.liveGuard(ctx));
            return r;
        }
        MutationGuard.checkRoot(ctx.root());
        try (HostLock lock = HostLock.acquire(ctx.stateDir())) {
            JournalRecovery.Recovered rec = JournalRecovery.recover(journal);
            Journal.State state = rec == null ? journal.load() : rec.state();
            if (rec != null) {
                // The rebuilt journal replaces the damaged one before anything acts on it; the kept copies stay.
                journal.save(state);
                rec.kept().forEach(journal::markRepaired);
            }
            Journal.Operation op = state.operation;
            if (!Journal.needsRepair(state)) {
                r.put("repaired", rec != null);
                r.put("message", rec != null ? "The damaged journal was rebuilt; no operation was left unfinished."
                        : "Nothing to repair: the last operation finished"
                        + (op == null ? " (there is none)." : " (" + op.kind + " " + op.id + ": " + op.status + ")."));
                recovered(ctx, journal, state, rec, r);
                r.put("drift", drift(ctx, state));
                return r;
            }
            progress.report("Repairing", 0, op.kind + " " + op.id);
            int before = op.steps.size();
            List<Journal.Step> undo = PlanExecutor.restoreBefore(ctx.core(), ctx.boot(), journal, state, op);
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
                m.put("expected", PlanExecutor.nz(d.beforeDriver));
                ds.add(m);
            }
            r.put("devices", ds);
            recovered(ctx, journal, state, rec, r);
            r.put("drift", drift(ctx, state));
            if (!ok) {
                throw new EngineException(ErrorId.IoFailure, "Repair of " + op.kind + " " + op.id
                        + " could not restore every function; see details.", op.id, r);
            }
            return r;
        }
    }

    /**
     * After a rebuilt journal: the functions the tree shows held join the pool, and {@code recovered} says
     * where the journal came from, what was salvaged and what could not be restored.
     */
    private static void recovered(RequestContext ctx, Journal journal, Journal.State state,
            JournalRecovery.Recovered rec, Map<String, Object> r) {
        if (rec == null) {
            return;
        }
        List<String> unknown = JournalRecovery.reconcile(ctx.core(),
                ctx.snapshot().devices().stream().map(PciDevice::address).toList(), state);
        journal.save(state);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kept", rec.kept().stream().map(p -> p + Journal.REPAIRED_SUFFIX).toList());
        m.put("source", rec.source());
        m.put("salvaged", rec.salvaged());
        m.put("notRestored", unknown);
        r.put("recovered", m);
    }

    /**
     * Functions bound to vfio-pci, joined with what the journal remembers about them, and every assignment
     * persisted for the next boots (DdaBridge's and driverctl's) against the running system, with the fix for
     * each mismatch.
     */
    static Object pool(RequestContext ctx) {
        HostSnapshot snap = ctx.snapshot();
        Journal.State state = ctx.journal().load();
        List<BootOverride> overrides = new ArrayList<>(PersistedAssignments.read(ctx.root()));
        overrides.addAll(DriverctlOverrides.read(ctx.root()));
        Map<String, BootOverride> persistedBy = new LinkedHashMap<>();
        for (BootOverride o : overrides) {
            persistedBy.putIfAbsent(o.address(), o);
        }
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
            BootOverride o = persistedBy.get(d.address());
            m.put("persistent", o != null && VFIO_PCI.equals(o.driver()));
            m.put("persistedBy", o == null ? null : o.source().json());
            boolean released = pe != null && Boolean.FALSE.equals(pe.persistent) && o == null && d.driver() != null
                    && d.driver().equals(pe.originalDriver);
            m.put("state", VFIO_PCI.equals(d.driver()) ? (pe != null ? "held" : "heldOutside")
                    : released ? "released (transient; back on " + d.driver() + ", e.g. after a reboot)"
                    : "drifted (now " + (d.driver() == null ? "no driver" : d.driver()) + ")");
            held.add(m);
        }
        List<Map<String, Object>> persisted = new ArrayList<>();
        for (BootPersistenceCheck.Finding f : BootPersistenceCheck.verify(overrides, snap.devices())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", f.override().address());
            m.put("driver", f.override().driver());
            m.put("source", f.override().source().json());
            m.put("file", "/" + f.override().file());
            m.put("ids", f.override().vendorId() == null ? null
                    : f.override().vendorId() + ":" + f.override().deviceId());
            m.put("state", f.state().name());
            m.put("currentDriver", f.driver());
            m.put("movedTo", f.movedTo());
            m.put("matches", f.state() == BootPersistenceCheck.State.applied);
            m.put("message", f.message());
            m.put("fix", f.fix());
            persisted.add(m);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("devices", held);
        r.put("persisted", persisted);
        Journal.Operation op = state.operation;
        r.put("repairNeeded", Journal.needsRepair(state));
        r.put("lastOperation", op == null ? null : Map.of("id", op.id, "kind", op.kind, "status", op.status));
        r.put("stateDir", ctx.stateDir().toString());
        return r;
    }

    /** The VFIO state of a group after a dismount. */
    static Map<String, Object> groupResult(RequestContext ctx, Integer group) {
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

    private static List<String> drift(RequestContext ctx, Journal.State state) {
        List<String> out = new ArrayList<>();
        for (Journal.PoolEntry pe : state.pool.values()) {
            String d = ctx.core().driver(pe.address);
            if (!VFIO_PCI.equals(d)) {
                out.add(pe.address + " is in the pool but bound to " + (d.isEmpty() ? "no driver" : d));
            }
        }
        return out;
    }
}
