package org.ddabridge.assign.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.driver.windows.WindowsHostControl;
import org.ddabridge.engine.Engine;
import org.ddabridge.platform.Platforms;
/** The engine's dismount/mount/vm-add on a (simulated) Hyper-V host, devices from a hand-made Windows host. */
class WindowsActionsTest {
    private static final String HOST = Path.of(System.getProperty("ddabridge.repo", ".."),
            "tests/fixtures/windows/server-nvme.windows.json").toString();
    private static final String NVME_ID = "PCI\\VEN_144D&DEV_A824&SUBSYS_A809144D&REV_00\\4&1B6E4A52&0&0000";
    private static final String NVME_LOC = "PCIROOT(1)#PCI(0000)#PCI(0000)";

    private static SimulatedWindowsHostControl hyperV() {
        return new SimulatedWindowsHostControl().device(NVME_ID, NVME_LOC).vm("vm1");
    }

    private static Engine engine(SimulatedWindowsHostControl h) {
        return new Engine().useWindowsActions(new WindowsActions(h, Platforms.forRoot(HOST)));
    }

    private static JsonObject args(boolean whatIf) {
        JsonObject a = new JsonObject();
        a.addProperty("locationPath", NVME_LOC);
        a.addProperty("whatIf", whatIf);
        return a;
    }

    @Test
    void dismountWhatIfPlansDisableAndDismountAndTouchesNothing() {
        SimulatedWindowsHostControl h = hyperV();
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) engine(h).execute("dismount", args(true), Progress.NONE);
        assertEquals(true, r.get("whatIf"));
        @SuppressWarnings("unchecked")
        Map<String, Object> one = ((List<Map<String, Object>>) r.get("devices")).get(0);
        @SuppressWarnings("unchecked")
        List<WindowsAssignment.Step> plan = (List<WindowsAssignment.Step>) one.get("plan");
        assertEquals(List.of("disable", "dismount"), plan.stream().map(WindowsAssignment.Step::action).toList());
        assertEquals(List.of(), h.calls());
    }

    @Test
    void dismountThenMountMovesTheDeviceThroughThePool() {
        SimulatedWindowsHostControl h = hyperV();
        Engine e = engine(h);
        e.execute("dismount", args(false), Progress.NONE);
        assertEquals(List.of(NVME_LOC), h.pool());
        e.execute("mount", args(false), Progress.NONE);
        assertEquals(List.of(), h.pool());
        assertEquals(WindowsHostControl.NodeState.ENABLED, h.nodeState(NVME_ID));
    }

    @Test
    void aFailedDismountIsRolledBackAndReported() {
        SimulatedWindowsHostControl h = hyperV().failOn("dismount");
        EngineException ex = assertThrows(EngineException.class,
                () -> engine(h).execute("dismount", args(false), Progress.NONE));
        assertEquals(ErrorId.IoFailure, ex.id());
        assertTrue(ex.getMessage().contains("rolledBack"), ex.getMessage());
        assertEquals(WindowsHostControl.NodeState.ENABLED, h.nodeState(NVME_ID)); // disable was undone
        assertFalse(h.pool().contains(NVME_LOC));
    }

    @Test
    void vmAddPreparesTheVmAndAddsTheDevice() {
        SimulatedWindowsHostControl h = hyperV();
        JsonObject a = args(false);
        a.addProperty("vmName", "vm1");
        engine(h).execute("vm-add", a, Progress.NONE);
        assertEquals(List.of(NVME_LOC), h.assigned("vm1"));
        assertEquals("TurnOff", h.vmSettings("vm1").automaticStopAction());
    }

    @Test
    void vmAddOnLinuxIsTheVfioCommandNotHyperVs() {
        // Without Hyper-V the engine's vm-add is Linux's (QMP or libvirt): a Hyper-V host's location path is looked up
        // among this machine's PCI functions, where it names none: DeviceNotFound naming it, not a silent no-op.
        JsonObject a = args(false);
        a.addProperty("vmName", "vm1");
        EngineException ex = assertThrows(EngineException.class, () -> new Engine().execute("vm-add", a, Progress.NONE));
        assertEquals(ErrorId.DeviceNotFound, ex.id());
        assertEquals(NVME_LOC, ex.target());
    }

    private static final String GPU_HOST = Path.of(System.getProperty("ddabridge.repo", ".."),
            "tests/fixtures/windows/workstation-pch-gpu.windows.json").toString();
    private static final String GPU_ID = "PCI\\VEN_10DE&DEV_2504&SUBSYS_397D1462&REV_A1\\4&2B8B5C3A&0&00E4";
    private static final String GPU_LOC = "PCIROOT(0)#PCI(1C04)#PCI(0000)";

    @Test
    void mountAfterDismountNamesThePooledDevice() {
        SimulatedWindowsHostControl h = hyperV();
        Engine e = engine(h);
        e.execute("dismount", args(false), Progress.NONE);
        e.execute("mount", args(false), Progress.NONE);
        assertTrue(h.calls().contains("mount PCIP\\VEN_144D&DEV_A824&SUBSYS_A809144D&REV_00\\4&1B6E4A52&0&0000 "
                + NVME_LOC), h.calls().toString());
    }

    @Test
    void vmAddRaisesTheMmioGapsTheDeviceNeeds() {
        SimulatedWindowsHostControl h = new SimulatedWindowsHostControl().device(GPU_ID, GPU_LOC).vm("vm1");
        JsonObject a = new JsonObject();
        a.addProperty("locationPath", GPU_LOC);
        a.addProperty("vmName", "vm1");
        new Engine().useWindowsActions(new WindowsActions(h, Platforms.forRoot(GPU_HOST)))
                .execute("vm-add", a, Progress.NONE);
        assertEquals(List.of(GPU_LOC), h.assigned("vm1"));
        // The fixture's RTX 3060 has an 8 GiB 64-bit BAR (0x6000000000-0x61ffffffff): Hyper-V's 512 MB default
        // high gap cannot hold it.
        assertTrue(h.vmSettings("vm1").highMmioBytes() >= 8L << 30, String.valueOf(h.vmSettings("vm1")));
        assertTrue(h.vmSettings("vm1").lowMmioBytes() >= 128L << 20);
        assertEquals(Boolean.TRUE, h.vmSettings("vm1").guestControlledCacheTypes());
    }

    @Test
    void vmAddToARunningVmThatNeedsMoreMmioIsRefused() {
        SimulatedWindowsHostControl h = new SimulatedWindowsHostControl().device(GPU_ID, GPU_LOC).vm("vm1")
                .start("vm1");
        JsonObject a = new JsonObject();
        a.addProperty("locationPath", GPU_LOC);
        a.addProperty("vmName", "vm1");
        EngineException ex = assertThrows(EngineException.class, () -> new Engine()
                .useWindowsActions(new WindowsActions(h, Platforms.forRoot(GPU_HOST))).execute("vm-add", a,
                        Progress.NONE));
        assertEquals(ErrorId.Refused, ex.id());
        assertEquals(List.of(), h.calls());
    }
}
