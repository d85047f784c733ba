package org.ddabridge.assign.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.ddabridge.driver.windows.WindowsHostControl;
/** Plans, what-if, journal and rollback against the simulated host (no Windows needed). */
class WindowsAssignmentTest {
    static final String ID = "PCI\\VEN_10DE&DEV_2504&SUBSYS_397D1462&REV_A1\\4&2B8B5C3A&0&0008";
    static final String LOC = "PCIROOT(0)#PCI(0100)#PCI(0000)";
    static final String POOLED = "PCIP\\VEN_10DE&DEV_2504&SUBSYS_397D1462&REV_A1\\4&2B8B5C3A&0&0008";
    static final WindowsAssignment.Request GPU =
            new WindowsAssignment.Request("win11", ID, LOC, true, 256L << 20, 33280L << 20, false);

    static SimulatedWindowsHostControl host() {
        return new SimulatedWindowsHostControl().device(ID, LOC).vm("win11");
    }

    @Test
    void whatIfPlansWithoutTouchingTheHost() {
        SimulatedWindowsHostControl h = host();
        WindowsAssignment.Outcome o = new WindowsAssignment(h).assign(GPU, true);
        assertEquals("whatIf", o.status());
        assertEquals(List.of("disable", "dismount", "prepareVm", "addToVm"),
                o.plan().stream().map(WindowsAssignment.Step::action).toList());
        assertTrue(o.plan().get(2).detail().contains("AutomaticStopAction=TurnOff"));
        assertTrue(o.plan().get(2).detail().contains("GuestControlledCacheTypes=true"));
        assertTrue(o.plan().get(2).detail().contains("HighMemoryMappedIoSpace=33280MB"));
        assertEquals(List.of(), h.calls());
    }

    @Test
    void assignThenUnassign() {
        SimulatedWindowsHostControl h = host();
        WindowsAssignment a = new WindowsAssignment(h);
        assertEquals("done", a.assign(GPU, false).status());
        assertEquals(List.of(LOC), h.assigned("win11"));
        assertEquals("TurnOff", h.vmSettings("win11").automaticStopAction());
        assertEquals(WindowsHostControl.NodeState.ABSENT, h.nodeState(ID));
        // Re-running is harmless: every step is skipped.
        assertTrue(a.planAssign(GPU).stream().allMatch(WindowsAssignment.Step::skip));
        assertEquals("done", a.unassign(GPU, false).status());
        assertEquals(List.of(), h.assigned("win11"));
        assertEquals(WindowsHostControl.NodeState.ENABLED, h.nodeState(ID));
    }

    @Test
    void failureReversesCompletedStepsNewestFirst() {
        SimulatedWindowsHostControl h = host().failOn("addToVm");
        WindowsAssignment.Outcome o = new WindowsAssignment(h).assign(GPU, false);
        assertEquals("rolledBack", o.status());
        // The rollback's mount names the pooled identity dismount returned (PCIP\...), not the PCI\ id.
        assertEquals(List.of("disable " + ID, "dismount " + LOC, "setVmSettings win11", "addToVm win11 " + LOC,
                "setVmSettings win11", "mount " + POOLED + " " + LOC, "enable " + ID), h.calls());
        assertEquals(WindowsHostControl.NodeState.ENABLED, h.nodeState(ID));
        assertEquals("Save", h.vmSettings("win11").automaticStopAction(), "VM settings restored");
        assertEquals(List.of(), h.pool());
        assertEquals(List.of("done", "done", "done", "failed", "undone", "undone", "undone"),
                o.journal().stream().map(WindowsAssignment.JournalEntry::outcome).toList());
    }

    @Test
    void failedUndoIsReported() {
        SimulatedWindowsHostControl h = host().failOn("addToVm").failOn("mount");
        WindowsAssignment.Outcome o = new WindowsAssignment(h).assign(GPU, false);
        assertEquals("rollbackIncomplete", o.status());
        assertTrue(o.journal().stream().anyMatch(j -> j.outcome().equals("undoFailed") && j.action().equals("dismount")));
    }

    @Test
    void unassignMountsThePooledIdentityFoundByLocationPath() {
        SimulatedWindowsHostControl h = host();
        WindowsAssignment a = new WindowsAssignment(h);
        assertEquals("done", a.assign(GPU, false).status());
        // A later run (a new process: no journal of the dismount) looks the identity up in the pool.
        assertEquals("done", new WindowsAssignment(h).unassign(GPU, false).status());
        assertTrue(h.calls().contains("mount " + POOLED + " " + LOC), h.calls().toString());
        assertEquals(WindowsHostControl.NodeState.ENABLED, h.nodeState(ID));
    }

    @Test
    void lowMmioAboveTheDocumentedMaximumIsRefused() {
        SimulatedWindowsHostControl h = host();
        // LowMmioGapSize is documented up to 3584 MB; a device needing more below 4 GiB cannot be given.
        WindowsAssignment.Request big = new WindowsAssignment.Request("win11", ID, LOC, false, 4096L << 20, 0, false);
        WindowsHostControl.ControlException e = assertThrows(WindowsHostControl.ControlException.class,
                () -> new WindowsAssignment(h).assign(big, false));
        assertEquals("MmioOutOfRange", e.code());
        assertEquals(List.of(), h.calls());
    }

    @Test
    void changingMmioOfARunningVmIsRefusedBeforeAnythingChanges() {
        SimulatedWindowsHostControl h = host().start("win11");
        WindowsHostControl.ControlException e = assertThrows(WindowsHostControl.ControlException.class,
                () -> new WindowsAssignment(h).assign(GPU, false));
        assertEquals("VmMustBeOff", e.code());
        assertTrue(e.getMessage().contains("Stop-VM"), e.getMessage());
        assertEquals(List.of(), h.calls());
    }
}
