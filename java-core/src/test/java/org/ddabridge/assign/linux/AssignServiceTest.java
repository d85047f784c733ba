package org.ddabridge.assign.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.util.Json;
/** Dismount, mount, pool, repair on fake sysfs trees with the simulated driver core. */
class AssignServiceTest {
    @TempDir
    Path tmp;

    private int treeNo;

    /** Thrown by the crash hook: an Error, so no rollback handler catches it (like kill -9). */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String m) {
            super(m);
        }
    }

    FakeHost host(boolean vfioLoaded) {
        return new FakeHost(tmp.resolve("t" + (treeNo++))).reference(vfioLoaded);
    }

    static AssignService service(FakeHost h, Predicate<SimulatedDriverCore.Call> fail, CrashHook crash) {
        return new AssignService(r -> new SimulatedDriverCore(r, FakeHost.naturalDrivers()).failWhen(fail),
                new BasicAssignabilityPolicy(), crash, Map.of());
    }

    static AssignService service(FakeHost h) {
        return service(h, c -> false, CrashHook.NONE);
    }

    static Args args(String cmd, FakeHost h, Object... kv) {
        JsonObject o = new JsonObject();
        o.addProperty("root", h.root.toString());
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v instanceof Boolean b) {
                o.addProperty((String) kv[i], b);
            } else if (v instanceof List<?> l) {
                JsonArray a = new JsonArray();
                l.forEach(x -> a.add(x.toString()));
                o.add((String) kv[i], a);
            } else {
                o.addProperty((String) kv[i], v.toString());
            }
        }
        return new Args(cmd, o);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return Json.compact().fromJson(Json.compact().toJson(o), Map.class);
    }

    @Test
    void dismountNvmeMovesItToVfioAndMountGivesItBack() {
        FakeHost h = host(false);
        Map<String, String> before = h.driverState();
        AssignService s = service(h);
        List<String> events = new ArrayList<>();
        Progress p = (a, pct, st) -> events.add(a + " " + pct + " " + st);
        Map<String, Object> r = map(s.dismount(args("dismount", h, "address", FakeHost.NVME), p));
        assertEquals("done", r.get("status"));
        assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.NVME));
        // modprobe (vfio-pci not loaded), override, unbind, probe, vfioCheck, persist
        assertEquals(6, ((List<?>) r.get("steps")).size());
        Map<String, Object> g = (Map<String, Object>) ((List<?>) r.get("groups")).get(0);
        assertEquals(Boolean.TRUE, g.get("viable"));
        assertFalse(events.isEmpty());

        Map<String, Object> pool = map(s.pool(args("pool", h), Progress.NONE));
        List<Map<String, Object>> held = (List<Map<String, Object>>) pool.get("devices");
        assertEquals(1, held.size());
        assertEquals("nvme", held.get(0).get("originalDriver"));
        assertEquals(10.0, held.get(0).get("group"));
        assertEquals("held", held.get(0).get("state"));

        Map<String, Object> m = map(s.mount(args("mount", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals("done", m.get("status"));
        assertEquals(before.get(FakeHost.NVME), h.driverState().get(FakeHost.NVME));
        assertEquals(before, withoutVfio(h.driverState()));
        assertTrue(((List<?>) map(s.pool(args("pool", h), Progress.NONE)).get("devices")).isEmpty());
    }

    private static Map<String, String> withoutVfio(Map<String, String> m) {
        return m;
    }

    @Test
    void whatIfReturnsThePlanAndChangesNothing() {
        FakeHost h = host(false);
        Map<String, String> before = h.driverState();
        Map<String, Object> r = map(service(h).dismount(args("dismount", h, "address",
                List.of(FakeHost.E1000E_0), "whatIf", true), Progress.NONE));
        assertEquals(Boolean.TRUE, r.get("whatIf"));
        assertEquals(before, h.driverState());
        assertFalse(Files.exists(h.root.resolve("var/lib/ddabridge/state.json")));
        Map<String, Object> g = (Map<String, Object>) ((List<?>) r.get("groups")).get(0);
        assertEquals(2, ((List<?>) g.get("moves")).size());
        assertFalse(Files.exists(h.root.resolve("sys/bus/pci/drivers/vfio-pci")), "whatIf must not modprobe");
    }

    @Test
    void multifunctionNicMovesBothFunctions() {
        FakeHost h = host(true);
        Map<String, Object> r = map(service(h).dismount(args("dismount", h, "address", FakeHost.E1000E_1),
                Progress.NONE));
        assertEquals("done", r.get("status"));
        assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.E1000E_0));
        assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.E1000E_1));
        assertEquals("pcieport|", h.driverState().get("0000:00:04.0"));
    }

    @Test
    void ne2kBehindPciBridgeIsRefusedEvenWithForce() {
        FakeHost h = host(true);
        Map<String, String> before = h.driverState();
        for (boolean force : new boolean[] {false, true}) {
            EngineException e = assertThrows(EngineException.class, () -> service(h).dismount(
                    args("dismount", h, "address", FakeHost.NE2K_1, "force", force), Progress.NONE));
            assertEquals(ErrorId.Refused, e.id());
            Map<String, Object> d = map(e.details());
            assertEquals("GroupContainsBridge", d.get("reason"));
            String na = Json.compact().toJson(d.get("notAssignable"));
            assertTrue(na.contains("ConventionalPci") && na.contains("LineInterruptsOnly"), na);
            assertEquals(Boolean.FALSE, d.get("forceHelps"));
        }
        assertEquals(before, h.driverState());
    }

    @Test
    void sharedNoAcsGroupIsNotAssignableUnlessForced() {
        FakeHost h = host(true);
        EngineException e = assertThrows(EngineException.class, () -> service(h).dismount(
                args("dismount", h, "address", FakeHost.NOACS_NVME), Progress.NONE));
        assertEquals(ErrorId.Refused, e.id());
        Map<String, Object> d = map(e.details());
        assertEquals("NotAssignable", d.get("reason"));
        assertTrue(Json.compact().toJson(d).contains("GroupNotIsolated"));
        Map<String, Object> r = map(service(h).dismount(
                args("dismount", h, "address", FakeHost.NOACS_NVME, "force", true), Progress.NONE));
        assertEquals("done", r.get("status"));
        assertEquals("pcieport|", h.driverState().get(FakeHost.NOACS_PORT), "the port stays");
        assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.NOACS_NVME));
    }

    @Test
    void hardGuardsHoldEvenWithForce() {
        FakeHost h = host(true);
        Map<String, String> before = h.driverState();
        Map<String, String> cases = Map.of(FakeHost.NVME_ROOT, "RootDisk", FakeHost.VGA, "BootVga",
                "0000:00:02.0", "Bridge", FakeHost.PCI_BRIDGE, "GroupContainsBridge");
        cases.forEach((addr, code) -> {
            EngineException e = assertThrows(EngineException.class, () -> service(h).dismount(
                    args("dismount", h, "address", addr, "force", true), Progress.NONE));
            assertEquals(ErrorId.Refused, e.id(), addr);
            String json = Json.compact().toJson(e.details());
            assertTrue(json.contains("\"" + code + "\""), addr + " " + json);
        });
        assertEquals(before, h.driverState());
    }

    @Test
    void mountedNonRootFilesystemIsAHardGuard() {
        FakeHost h = host(true);
        h.mount("259:0", "/data", "/dev/nvme0n1");
        EngineException e = assertThrows(EngineException.class, () -> service(h).dismount(
                args("dismount", h, "address", FakeHost.NVME, "force", true), Progress.NONE));
        assertEquals("MountedFilesystem", map(e.details()).get("reason"));
    }

    @Test
    void softGuardsYieldToForce() {
        FakeHost h = host(true);
        EngineException e = assertThrows(EngineException.class, () -> service(h).dismount(
                args("dismount", h, "address", FakeHost.NIC_ROUTE), Progress.NONE));
        assertEquals("DefaultRouteNic", map(e.details()).get("reason"));
        assertEquals("done", map(service(h).dismount(args("dismount", h, "address", FakeHost.NIC_ROUTE, "force",
                true), Progress.NONE)).get("status"));

        h.openFd(4242, "qemu-img", "/dev/nvme0n1");
        EngineException e2 = assertThrows(EngineException.class, () -> service(h).dismount(
                args("dismount", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals("InUse", map(e2.details()).get("reason"));
        assertTrue(e2.getMessage().contains("4242"), e2.getMessage());
    }

    @Test
    void selectingByLocationPathAndInstanceIdWorksAndNothingSelectedIsAnError() {
        FakeHost h = host(true);
        assertThrows(EngineException.class, () -> service(h).dismount(args("dismount", h), Progress.NONE));
        Map<String, Object> r = map(service(h).dismount(args("dismount", h, "locationPath",
                "PCIROOT(0)#PCI(0200)#PCI(0000)", "whatIf", true), Progress.NONE));
        assertTrue(Json.compact().toJson(r).contains(FakeHost.NVME));
    }

    @Test
    void secondMutatingRequestWhileLockedIsBusy() {
        FakeHost h = host(true);
        // Held by another thread (the lock is re-entrant only for the thread holding it).
        java.util.concurrent.CompletableFuture<HostLock> other = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> HostLock.acquire(h.root.resolve("var/lib/ddabridge")));
        HostLock held = other.join();
        try {
            EngineException e = assertThrows(EngineException.class, () -> service(h).dismount(
                    args("dismount", h, "address", FakeHost.NVME), Progress.NONE));
            assertEquals(ErrorId.Busy, e.id());
        } finally {
            java.util.concurrent.CompletableFuture.runAsync(held::close).join();
        }
        assertEquals("done", map(service(h).dismount(args("dismount", h, "address", FakeHost.NVME),
                Progress.NONE)).get("status"));
    }

    /** A failure injected at every driver-core call of a dismount is rolled back completely. */
    @Test
    void failureAtEveryCallOfDismountRollsBack() {
        FakeHost probe = host(false);
        SimulatedDriverCore counter = new SimulatedDriverCore(probe.hostRoot(), FakeHost.naturalDrivers());
        new AssignService(r -> counter, new BasicAssignabilityPolicy(), CrashHook.NONE, Map.of())
                .dismount(args("dismount", probe, "address", List.of(FakeHost.E1000E_0)), Progress.NONE);
        int calls = counter.calls().size();
        assertTrue(calls >= 7, "calls " + calls);
        for (int n = 0; n < calls; n++) {
            int fail = n;
            FakeHost h = host(false);
            Map<String, String> before = h.driverState();
            EngineException e = assertThrows(EngineException.class, () -> service(h, c -> c.seq() == fail,
                    CrashHook.NONE).dismount(args("dismount", h, "address", FakeHost.E1000E_0), Progress.NONE));
            assertEquals(ErrorId.IoFailure, e.id());
            Map<String, Object> d = map(e.details());
            assertEquals("rolledBack", d.get("rollback"), "call " + n + ": " + e.getMessage());
            assertEquals(before, h.driverState(), "call " + n);
            assertTrue(((List<?>) map(service(h).pool(args("pool", h), Progress.NONE)).get("devices")).isEmpty());
            // and the host is usable again afterwards
            assertEquals("done", map(service(h).dismount(args("dismount", h, "address", FakeHost.E1000E_0),
                    Progress.NONE)).get("status"), "call " + n);
        }
    }

    @Test
    void deviceThatRefusesToBindIsRolledBack() {
        FakeHost h = host(true);
        Map<String, String> before = h.driverState();
        AssignService s = new AssignService(r -> new SimulatedDriverCore(r, FakeHost.naturalDrivers())
                .refuseBinding(FakeHost.E1000E_1), new BasicAssignabilityPolicy(), CrashHook.NONE, Map.of());
        EngineException e = assertThrows(EngineException.class, () -> s.dismount(
                args("dismount", h, "address", FakeHost.E1000E_0), Progress.NONE));
        assertTrue(e.getMessage().contains("Rollback failed too"), e.getMessage());
        assertEquals("rollbackFailed", map(e.details()).get("rollback"));
        // E1000E_1 refuses every binding, so its original driver cannot come back either: only E1000E_0 is
        // restored and the rollback reports the failure.
        assertEquals(before.get(FakeHost.E1000E_0), h.driverState().get(FakeHost.E1000E_0));
        assertEquals(Boolean.TRUE, map(service(h).pool(args("pool", h), Progress.NONE)).get("repairNeeded"));
        // once the device binds again, repair finishes the job
        Map<String, Object> rep = map(service(h).repair(args("repair", h), Progress.NONE));
        assertEquals(Boolean.TRUE, rep.get("repaired"));
        assertEquals(before, h.driverState());
    }

    @Test
    void groupThatIsNotViableIsRolledBack() {
        FakeHost h = host(true);
        Map<String, String> before = h.driverState();
        AssignService s = new AssignService(r -> new SimulatedDriverCore(r, FakeHost.naturalDrivers()).notViable(12),
                new BasicAssignabilityPolicy(), CrashHook.NONE, Map.of());
        EngineException e = assertThrows(EngineException.class, () -> s.dismount(
                args("dismount", h, "address", FakeHost.E1000E_0), Progress.NONE));
        assertEquals(ErrorId.IoFailure, e.id());
        assertTrue(e.getMessage().contains("not viable"), e.getMessage());
        Map<String, Object> d = map(e.details());
        assertEquals("rolledBack", d.get("rollback"));
        String steps = Json.compact().toJson(d.get("steps"));
        assertTrue(steps.contains("undo-unbind") && steps.contains("undo-override"), steps);
        assertEquals(before, h.driverState());
    }

    // ------------------------------------------------------------------ crash at every step, then repair

    private static int forwardSteps(Map<String, Object> result) {
        return ((List<?>) result.get("steps")).size();
    }

    @Test
    void crashAtEveryStepOfDismountThenRepairRestoresTheHost() {
        FakeHost counted = host(false);
        int steps = forwardSteps(map(service(counted).dismount(args("dismount", counted, "address",
                List.of(FakeHost.E1000E_0, FakeHost.NVME)), Progress.NONE)));
        assertEquals(15, steps,
                "modprobe, 2x(override, unbind, probe), check, (override, unbind, probe), check, 3x persist");
        List<String> matrix = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            for (CrashHook.Phase phase : CrashHook.Phase.values()) {
                FakeHost h = host(false);
                Map<String, String> before = h.driverState();
                int at = i;
                CrashHook crash = (step, p) -> {
                    if (step == at && p == phase) {
                        throw new SimulatedCrash("crash at " + step + " " + p);
                    }
                };
                assertThrows(SimulatedCrash.class, () -> service(h, c -> false, crash).dismount(args("dismount", h,
                        "address", List.of(FakeHost.E1000E_0, FakeHost.NVME)), Progress.NONE));
                // before repair: new mutations are refused, pool says repair is needed
                EngineException pending = assertThrows(EngineException.class, () -> service(h).dismount(
                        args("dismount", h, "address", FakeHost.NVME), Progress.NONE));
                assertEquals("RepairNeeded", map(pending.details()).get("reason"));
                assertEquals(Boolean.TRUE, map(service(h).pool(args("pool", h), Progress.NONE)).get("repairNeeded"));
                Map<String, Object> rep = map(service(h).repair(args("repair", h), Progress.NONE));
                assertEquals(Boolean.TRUE, rep.get("repaired"), "step " + i + " " + phase);
                // vfio-pci may stay loaded: only the drivers/vfio-pci directory differs, not any function.
                assertEquals(before, h.driverState(), "step " + i + " " + phase);
                // a crash between "bound" and "persisted" (or after persisting, before "done") leaves no boot entry
                assertEquals(List.of(), PersistenceTest.persisted(h), "step " + i + " " + phase);
                assertEquals(Boolean.FALSE, map(service(h).repair(args("repair", h), Progress.NONE)).get("repaired"));
                assertEquals("done", map(service(h).dismount(args("dismount", h, "address", FakeHost.NVME),
                        Progress.NONE)).get("status"));
                matrix.add(i + ":" + phase + "=ok");
            }
        }
        assertEquals(2 * steps, matrix.size());
    }

    @Test
    void crashAtEveryStepOfMountThenRepairKeepsTheDevicesHeld() {
        FakeHost counted = host(true);
        service(counted).dismount(args("dismount", counted, "address", FakeHost.E1000E_0), Progress.NONE);
        int steps = forwardSteps(map(service(counted).mount(args("mount", counted, "address", FakeHost.E1000E_0),
                Progress.NONE)));
        assertEquals(8, steps, "2x unpersist, 2x(override, unbind, probe)");
        for (int i = 0; i < steps; i++) {
            for (CrashHook.Phase phase : CrashHook.Phase.values()) {
                FakeHost h = host(true);
                Map<String, String> initial = h.driverState();
                service(h).dismount(args("dismount", h, "address", FakeHost.E1000E_0), Progress.NONE);
                Map<String, String> held = h.driverState();
                int at = i;
                CrashHook crash = (step, p) -> {
                    if (step == at && p == phase) {
                        throw new SimulatedCrash("crash");
                    }
                };
                assertThrows(SimulatedCrash.class, () -> service(h, c -> false, crash).mount(args("mount", h,
                        "address", FakeHost.E1000E_0), Progress.NONE));
                assertEquals(Boolean.TRUE, map(service(h).repair(args("repair", h), Progress.NONE)).get("repaired"));
                assertEquals(held, h.driverState(), "step " + i + " " + phase);
                assertEquals(List.of(FakeHost.E1000E_0, FakeHost.E1000E_1), PersistenceTest.persisted(h),
                        "step " + i + " " + phase);
                assertEquals(2, ((List<?>) map(service(h).pool(args("pool", h), Progress.NONE)).get("devices")).size());
                assertEquals("done", map(service(h).mount(args("mount", h, "address", FakeHost.E1000E_0),
                        Progress.NONE)).get("status"));
                assertEquals(initial, h.driverState());
            }
        }
    }

    @Test
    void journalRecordsEveryStepDone() throws Exception {
        FakeHost h = host(true);
        service(h).dismount(args("dismount", h, "address", FakeHost.NVME), Progress.NONE);
        Journal.State st = new Journal(h.root.resolve("var/lib/ddabridge")).load();
        assertEquals("done", st.operation.status);
        assertTrue(st.operation.steps.stream().allMatch(s -> "done".equals(s.state)));
        assertEquals("nvme", st.pool.get(FakeHost.NVME).originalDriver);
        assertFalse(Files.exists(h.root.resolve("var/lib/ddabridge/state.json.tmp")));
    }

    @Test
    void stateDirArgumentIsHonoured() {
        FakeHost h = host(true);
        Path sd = tmp.resolve("custom-state");
        service(h).dismount(args("dismount", h, "address", FakeHost.NVME, "stateDir", sd.toString()), Progress.NONE);
        assertTrue(Files.exists(sd.resolve("state.json")));
        assertTrue(Files.exists(sd.resolve("lock")));
    }

    @Test
    void archiveRootIsRefusedForMutation() throws Exception {
        Path tar = tmp.resolve("img.tar.gz");
        Files.write(tar, new byte[] {1, 2, 3});
        JsonObject o = new JsonObject();
        o.addProperty("root", tar.toString());
        JsonArray a = new JsonArray();
        a.add(FakeHost.NVME);
        o.add("address", a);
        EngineException e = assertThrows(EngineException.class,
                () -> service(null).dismount(new Args("dismount", o), Progress.NONE));
        assertEquals(ErrorId.InvalidArgument, e.id());
    }
}
