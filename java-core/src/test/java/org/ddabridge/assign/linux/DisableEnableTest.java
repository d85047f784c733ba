package org.ddabridge.assign.linux;

import static org.ddabridge.assign.linux.AssignServiceTest.args;
import static org.ddabridge.assign.linux.AssignServiceTest.map;
import static org.ddabridge.assign.linux.AssignServiceTest.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.survey.PnpDevice;
/** disable/enable (Disable-PnpDevice / Enable-PnpDevice on Linux) on fake sysfs trees. */
class DisableEnableTest {
    @TempDir
    Path tmp;

    private FakeHost host() {
        return new FakeHost(tmp.resolve("t")).reference(true);
    }

    @Test
    void seedSequenceDisableDismountMountEnableEndsWhereItStarted() {
        FakeHost h = host();
        AssignService s = service(h);
        Map<String, String> before = h.driverState();

        Map<String, Object> d = map(s.disable(args("disable", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals("done", d.get("status"));
        assertEquals("|" + AssignService.DISABLED_OVERRIDE, h.driverState().get(FakeHost.NVME));

        map(s.dismount(args("dismount", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.NVME));

        // Hyper-V semantics: after mount the device is back on the host, still disabled.
        map(s.mount(args("mount", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals("|" + AssignService.DISABLED_OVERRIDE, h.driverState().get(FakeHost.NVME));

        Map<String, Object> e = map(s.enable(args("enable", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals("done", e.get("status"));
        assertEquals(before, h.driverState());
    }

    @Test
    void whatIfChangesNothingAndShowsTheSteps() {
        FakeHost h = host();
        Map<String, String> before = h.driverState();
        Map<String, Object> r = map(service(h).disable(args("disable", h, "address", FakeHost.NVME, "whatIf", true),
                Progress.NONE));
        assertEquals(Boolean.TRUE, r.get("whatIf"));
        assertEquals(2, ((List<?>) r.get("steps")).size());
        assertEquals(before, h.driverState());
    }

    @Test
    void guardsRefuseRootDiskBridgeAndPooledDevices() {
        FakeHost h = host();
        AssignService s = service(h);
        Map<String, String> before = h.driverState();
        for (Map.Entry<String, String> c : Map.of(FakeHost.NVME_ROOT, "RootDisk", "0000:00:02.0", "Bridge").entrySet()) {
            EngineException ex = assertThrows(EngineException.class,
                    () -> s.disable(args("disable", h, "address", c.getKey(), "force", true), Progress.NONE));
            assertEquals(ErrorId.Refused, ex.id());
            assertTrue(ex.getMessage().contains(c.getKey()), ex.getMessage());
        }
        assertEquals(before, h.driverState());
        s.dismount(args("dismount", h, "address", FakeHost.NVME), Progress.NONE);
        EngineException ex = assertThrows(EngineException.class,
                () -> s.enable(args("enable", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals(ErrorId.Refused, ex.id());
    }

    @Test
    void failedUnbindIsRolledBack() {
        FakeHost h = host();
        Map<String, String> before = h.driverState();
        AssignService s = service(h, c -> c.op().equals("unbind"), CrashHook.NONE);
        EngineException ex = assertThrows(EngineException.class,
                () -> s.disable(args("disable", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals(ErrorId.IoFailure, ex.id());
        assertEquals(before, h.driverState());
    }
}
