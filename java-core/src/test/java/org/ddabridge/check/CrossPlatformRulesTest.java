package org.ddabridge.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.ddabridge.model.Bar;
import org.ddabridge.model.HostUse;
import org.ddabridge.model.windows.MemoryRange;
import org.ddabridge.model.windows.WindowsPciFacts;
import org.ddabridge.survey.WindowsFacts;
import org.ddabridge.testing.ConfigSpaceBuilder;
import org.ddabridge.testing.DmarBytes;

/**
 * One rule set, two platforms: the same device described once by Linux (decoded configuration space,
 * topology, DMAR) and once by Windows (DEVPKEY_PciDevice_* properties, allocated resources) gets the same
 * verdict, reason code, severity and message from the same rule; only the evidence differs, naming each
 * platform's source.
 */
class CrossPlatformRulesTest {
    static final String RP = DeviceRulesTest.RP;
    static final String DEV = DeviceRulesTest.DEV;
    static final int ACS_SUPPORTED = 3;
    static final int ACS_NOT_SUPPORTED = 0;
    static final int PCIE_ENDPOINT = 2;

    /** Windows facts for {@code DEV}: DeviceType, AcsCompatibleUpHierarchy, RMRR flag, IRQs, memory. */
    static WindowsPciFacts windows(int baseClass, int acsUp, boolean rmrr, List<Long> irqs, List<MemoryRange> mem) {
        return new WindowsPciFacts(DEV, "PCI\\VEN_1234&DEV_0001\\0", "PCIROOT(0)#PCI(1C00)#PCI(0000)", "card",
                PCIE_ENDPOINT, baseClass, null, null, acsUp, null, rmrr, null, null, null, null, null, null, 0, false,
                mem, irqs);
    }

    /** Judges the Windows facts the way the Windows survey does, for the same enumerated device. */
    static DeviceReport onWindows(DeviceReport linux, WindowsPciFacts f) {
        return Checker.judge(List.of(WindowsFacts.of(linux.device(), f)), HostUse.unknown(), List.of(),
                Checker.Order.STOP_AT_FIRST_ERROR).devices().get(0);
    }

    static Reason firstError(DeviceReport d) {
        return d.reasons().stream().filter(r -> r.severity() == Severity.ERROR).findFirst()
                .orElseThrow(() -> new AssertionError("no error in " + d.reasons()));
    }

    static void sameFinding(DeviceReport linux, DeviceReport windows, String code, String linuxSource,
            String windowsSource) {
        Reason l = firstError(linux);
        Reason w = firstError(windows);
        assertEquals(Verdict.NotAssignable, linux.verdict());
        assertEquals(Verdict.NotAssignable, windows.verdict());
        assertEquals(code, l.code());
        assertEquals(code, w.code());
        assertEquals(l.severity(), w.severity());
        assertEquals(l.message(), w.message());
        assertEquals(l.remediation(), w.remediation());
        assertTrue(l.evidence().get(0).source().startsWith(linuxSource), l.evidence().toString());
        assertEquals(windowsSource, w.evidence().get(0).source());
    }

    @Test
    void lineInterruptsOnly() {
        byte[] ep = ConfigSpaceBuilder.endpoint(0x1234, 1, 0x020000).pcie(0, true).intx().build();
        DeviceReport linux = new MiniHost().target(Target.HYPERV).add(RP, null, DeviceRulesTest.acsRootPort()).add(DEV, RP, ep).run()
                .get(DEV);
        // IRQ 16: a line interrupt (message-signalled ones show up near 2^32).
        DeviceReport win = onWindows(linux, windows(2, ACS_SUPPORTED, false, List.of(16L), List.of()));
        sameFinding(linux, win, ReasonCode.LINE_INTERRUPTS_ONLY, "config:" + DEV, "AllocatedResources.IRQ");
        // VFIO forwards INTx: the same fact is only a warning there.
        assertEquals(Severity.WARNING, DeviceRulesTest.reason(linux, Target.VFIO, ReasonCode.LINE_INTERRUPTS_ONLY)
                .severity());
        assertEquals(Verdict.AssignableWithWarnings, linux.target(Target.VFIO).verdict());
        assertEquals("16", firstError(win).evidence().get(0).value());
    }

    @Test
    void acsLessPath() {
        byte[] ep = ConfigSpaceBuilder.endpoint(0x8086, 0x1533, 0x020000).pcie(0, true).msix(5).build();
        byte[] plainPort = ConfigSpaceBuilder.bridge(0x8086, 0x3a40, 0, 1, 1).pcie(4, false).build();
        DeviceReport linux = new MiniHost().target(Target.HYPERV).add(RP, null, plainPort).add(DEV, RP, ep).run().get(DEV);
        DeviceReport win = onWindows(linux, windows(2, ACS_NOT_SUPPORTED, false, List.of(4294967290L), List.of()));
        sameFinding(linux, win, ReasonCode.ACS_PATH_MISSING, "config:" + RP,
                "DEVPKEY_PciDevice_AcsCompatibleUpHierarchy");
        assertEquals("0 (NotSupported)", firstError(win).evidence().get(0).value());
        assertEquals("no ACS capability", firstError(linux).evidence().get(0).value());
        // VFIO does not need ACS: the endpoint shares its group only with the port, which stays with the host.
        assertEquals(Verdict.Assignable, linux.target(Target.VFIO).verdict(), linux.target(Target.VFIO).toString());
    }

    @Test
    void reservedMemoryRegion() {
        byte[] usb = ConfigSpaceBuilder.endpoint(0x8086, 0x1e31, 0x0c0330).pcie(0, true).msi().build();
        DeviceReport linux = new MiniHost().target(Target.HYPERV).add(RP, null, DeviceRulesTest.acsRootPort()).add(DEV, RP, usb)
                .dmar(new DmarBytes(1).drhdIncludeAll(0xfed90000L).rmrr(0xbf000000L, 0xbf01ffffL, 1, 0, 0x1c, 0, 0, 0)
                        .build())
                .run().get(DEV);
        DeviceReport win = onWindows(linux, windows(0x0c, ACS_SUPPORTED, true, List.of(4294967290L), List.of()));
        sameFinding(linux, win, ReasonCode.RESERVED_MEMORY_REGION, "sys/firmware/acpi/tables/DMAR",
                "DEVPKEY_PciDevice_RequiresReservedMemoryRegion");
        assertEquals("true", firstError(win).evidence().get(0).value());
        // intel-iommu relaxes USB RMRRs, so VFIO takes the controller (with a warning).
        assertEquals(Verdict.AssignableWithWarnings, linux.target(Target.VFIO).verdict());
    }

    @Test
    void assignableEndpointAndItsMmio() {
        List<Bar> bars = List.of(new Bar(0, 0xf6000000L, 16L << 20, Bar.MEMORY, false, false),
                new Bar(1, 0x4000000000L, 256L << 20, Bar.MEMORY, true, true));
        byte[] ep = ConfigSpaceBuilder.endpoint(0x10de, 0x1b80, 0x030000).pcie(0, false).msi().build();
        DeviceReport linux = new MiniHost().target(Target.HYPERV).add(RP, null, DeviceRulesTest.acsRootPort())
                .add(DEV, RP, ep, List.of(), bars, null).run().get(DEV);
        DeviceReport win = onWindows(linux, windows(3, ACS_SUPPORTED, false, List.of(4294967290L),
                List.of(new MemoryRange(0xf6000000L, 0xf6ffffffL), new MemoryRange(0x4000000000L, 0x400fffffffL))));
        assertEquals(Verdict.Assignable, linux.verdict(), linux.reasons().toString());
        assertEquals(Verdict.Assignable, win.verdict(), win.reasons().toString());
        assertEquals(linux.mmio(), win.mmio());
        for (String code : List.of(ReasonCode.ACS_PATH_ISOLATED, ReasonCode.PCIE_ENDPOINT,
                ReasonCode.MESSAGE_SIGNALED_INTERRUPTS, ReasonCode.MMIO_REQUIREMENT)) {
            Reason l = DeviceRulesTest.reason(linux, code);
            Reason w = DeviceRulesTest.reason(win, code);
            assertEquals(l.severity(), w.severity(), code);
            assertEquals(l.message(), w.message(), code);
        }
        // What Windows cannot tell (groups, reset) stays unsaid rather than guessed.
        assertTrue(win.predictedIommuGroup().isEmpty());
        assertTrue(win.reasons().stream().noneMatch(r -> r.code().startsWith("IommuGroup") || r.code().contains("Reset")));
    }
}
