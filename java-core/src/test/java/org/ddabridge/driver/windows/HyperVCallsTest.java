package org.ddabridge.driver.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.sun.jna.platform.win32.COM.COMException;

import org.junit.jupiter.api.Test;

/**
 * The Hyper-V call details that run without Windows: the handler's failure bookkeeping (no COM: a no-op
 * apartment), job states, which Msvm_PciExpress row is the host pool's, CfgMgr32 disable flags.
 */
class HyperVCallsTest {
    private static WmiHandler handler() {
        return new WmiHandler(Duration.ofSeconds(10), () -> () -> { });
    }

    @Test
    void aFailedMethodDoesNotDisableTheCallsOfTheRollback() {
        WmiHandler wmi = handler();
        Optional<String> add = wmi.run(WmiHandler.VIRTUALIZATION, s -> {
            throw new WmiHandler.WmiMethodException("AddResourceSettings returned 32773", 32773);
        });
        assertTrue(add.isEmpty());
        Optional<String> mount = wmi.run(WmiHandler.VIRTUALIZATION, s -> "mounted");
        assertEquals(Optional.of("mounted"), mount, wmi.failures().toString());
        Optional<String> notInPool = wmi.run(WmiHandler.VIRTUALIZATION, s -> {
            throw new WindowsHostControl.ControlException("NotInPool", "No dismounted device.");
        });
        assertTrue(notInPool.isEmpty());
        assertEquals(Optional.of(true), wmi.run(WmiHandler.VIRTUALIZATION, s -> true));
    }

    @Test
    void aTransportFailureMarksTheNamespaceUnusable() {
        WmiHandler wmi = handler();
        assertTrue(wmi.run(WmiHandler.VIRTUALIZATION, s -> {
            throw new COMException("ConnectServer failed");
        }).isEmpty());
        assertEquals(Optional.empty(), wmi.run(WmiHandler.VIRTUALIZATION, s -> "never asked"));
        // Another namespace is not affected.
        assertEquals(Optional.of("os"), wmi.run(WmiHandler.CIMV2, s -> "os"));
    }

    @Test
    void jobStatesServiceAndQueryPendingAreStillRunning() {
        // CIM_ConcreteJob.JobState (CIM schema): 2 New, 3 Starting, 4 Running, 5 Suspended, 6 Shutting Down,
        // 7 Completed, 8 Terminated, 9 Killed, 10 Exception, 11 Service, 12 Query Pending.
        for (int s : new int[] {2, 3, 4, 5, 6, 11, 12}) {
            assertEquals(WmiHandler.JobProgress.RUNNING, WmiHandler.jobProgress(s), "JobState " + s);
        }
        assertEquals(WmiHandler.JobProgress.COMPLETED, WmiHandler.jobProgress(7));
        for (int s : new int[] {8, 9, 10}) {
            assertEquals(WmiHandler.JobProgress.FAILED, WmiHandler.jobProgress(s), "JobState " + s);
        }
    }

    @Test
    void theHostPoolInstanceIsChosenAmongTwoOfOneLocationPath() {
        // An assigned device: one Msvm_PciExpress in the VM (SystemName = the VM's GUID) and one in the host
        // pool (SystemName = the host's name); the VM's may come first.
        Map<String, Object> vmSide = Map.of("__PATH",
                "\\\\HV01\\root\\virtualization\\v2:Msvm_PciExpress.DeviceID=\"Microsoft:VM\"",
                "SystemName", "5B3E7B0C-1A2B-4C3D-9E8F-0123456789AB", "LocationPath", "PCIROOT(0)#PCI(0100)#PCI(0000)");
        Map<String, Object> hostSide = Map.of("__PATH",
                "\\\\HV01\\root\\virtualization\\v2:Msvm_PciExpress.DeviceID=\"Microsoft:HOST\"",
                "SystemName", "HV01", "LocationPath", "PCIROOT(0)#PCI(0100)#PCI(0000)");
        assertEquals(hostSide, HyperVWmi.hostSide(List.of(vmSide, hostSide), "HV01"));
        assertEquals(hostSide, HyperVWmi.hostSide(List.of(hostSide, vmSide), "hv01"));
        assertEquals(null, HyperVWmi.hostSide(List.of(vmSide), "HV01"));
    }

    @Test
    void disablePersistsAcrossReboots() {
        // cfgmgr32.h: CM_DISABLE_UI_NOT_OK 0x4, CM_DISABLE_PERSIST 0x8 (without it the disable is undone at boot).
        assertEquals(0x8, NativeWindowsHostControl.DISABLE_FLAGS & 0x8);
        assertEquals(0x4, NativeWindowsHostControl.DISABLE_FLAGS & 0x4);
    }

    @Test
    void acsUpHierarchyEnhancedHasAName() {
        // pciprop.h (newer SDKs): DevProp_PciDevice_AcsCompatibleUpHierarchy_Enhanced = 4.
        assertEquals("Enhanced", DevPropKeys.acsUpName(4));
    }
}
