package org.ddabridge.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.ddabridge.model.Bar;
import org.ddabridge.model.HostUse;
import org.ddabridge.testing.ConfigSpaceBuilder;
import org.ddabridge.testing.DmarBytes;

/** One or more cases per device rule, on hand-made configuration spaces. */
class DeviceRulesTest {
    static final String RP = "0000:00:1c.0";
    static final String DEV = "0000:01:00.0";

    static byte[] acsRootPort() {
        return ConfigSpaceBuilder.bridge(0x8086, 0x1234, 0, 1, 1).pcie(4, false).msi().acs(0x1f, 0).build();
    }

    static Reason reason(DeviceReport d, String code) {
        return d.reasons().stream().filter(r -> r.code().equals(code)).findFirst().orElseThrow(() ->
                new AssertionError(code + " not in " + d.reasons()));
    }

    static Reason reason(DeviceReport d, Target t, String code) {
        return d.target(t).reasons().stream().filter(r -> r.code().equals(code)).findFirst().orElseThrow(() ->
                new AssertionError(t + " " + code + " not in " + d.target(t).reasons()));
    }

    static Set<String> codes(DeviceReport d) {
        return QemuReferenceTest.codes(d);
    }

    static DeviceReport single(byte[] endpoint) {
        return new MiniHost().add(RP, null, acsRootPort()).add(DEV, RP, endpoint).run().get(DEV);
    }

    @Test
    void pcieEndpointWithMsiXAndFlrIsAssignable() {
        DeviceReport d =
                single(ConfigSpaceBuilder.endpoint(0x144d, 0xa808, 0x010802).pcie(0, true).msix(8).intx().build());
        assertEquals(Verdict.Assignable, d.verdict(), d.reasons().toString());
        assertEquals("Express Endpoint -- more secure.", reason(d, ReasonCode.PCIE_ENDPOINT).message());
        assertTrue(codes(d).containsAll(Set.of(ReasonCode.ACS_PATH_ISOLATED, ReasonCode.MESSAGE_SIGNALED_INTERRUPTS,
                ReasonCode.IOMMU_GROUP_ALONE, ReasonCode.RESET_AVAILABLE)));
    }

    @Test
    void legacyEndpointOnlyForDisplay() {
        DeviceReport vga = single(ConfigSpaceBuilder.endpoint(0x10de, 0x1, 0x030000).pcie(1, true).msi().build());
        assertEquals(Severity.WARNING, reason(vga, Target.HYPERV, ReasonCode.LEGACY_ENDPOINT_DISPLAY).severity());
        assertEquals(Verdict.AssignableWithWarnings, vga.target(Target.HYPERV).verdict());
        DeviceReport nic = single(ConfigSpaceBuilder.endpoint(0x11ab, 0x1, 0x020000).pcie(1, true).msi().build());
        assertEquals(Severity.ERROR, reason(nic, Target.HYPERV, ReasonCode.LEGACY_ENDPOINT).severity());
        // VFIO passes legacy endpoints of any class; the headline here (a Linux host) is VFIO's.
        assertEquals(Severity.INFO, reason(nic, ReasonCode.LEGACY_ENDPOINT).severity());
        assertEquals(Verdict.Assignable, nic.verdict(), nic.reasons().toString());
    }

    @Test
    void rootComplexIntegratedEndpointIsAWarning() {
        Map<String, DeviceReport> m = new MiniHost()
                .add("00:1b.0", null, ConfigSpaceBuilder.endpoint(0x8086, 0x3a3e, 0x040300).pcie(9, true).msi().build())
                .run();
        DeviceReport d = m.get("0000:00:1b.0");
        assertEquals("Embedded Endpoint -- less secure.",
                reason(d, Target.HYPERV, ReasonCode.RC_INTEGRATED_ENDPOINT).message());
        assertEquals(Verdict.AssignableWithWarnings, d.target(Target.HYPERV).verdict());
        assertEquals(Severity.INFO, reason(d, Target.VFIO, ReasonCode.RC_INTEGRATED_ENDPOINT).severity());
    }

    @Test
    void aPhysicalFunctionWithVfsIsRefusedByVfioOnly() {
        // the NVMe PF of the sriov e2e topology: TotalVFs 2, after `echo 2 > sriov_numvfs` NumVFs 2
        ConfigSpaceBuilder pf = ConfigSpaceBuilder.endpoint(0x1b36, 0x0010, 0x010802).pcie(0, true).msix(8);
        DeviceReport with = new MiniHost().add(RP, null, acsRootPort())
                .add(DEV, RP, pf.sriov(0x100, 0, 2, 2, 1, 1, 0x0010).build()).run().get(DEV);
        Reason r = reason(with, Target.VFIO, ReasonCode.SRIOV_VFS_ENABLED);
        assertEquals(Severity.ERROR, r.severity());
        assertTrue(r.message().contains("2 virtual function(s)"), r.message());
        assertEquals(Verdict.NotAssignable, with.verdict());
        assertTrue(with.target(Target.HYPERV).reasons().stream()
                .noneMatch(x -> x.code().equals(ReasonCode.SRIOV_VFS_ENABLED)), "Hyper-V: silent");
        DeviceReport without = new MiniHost().add(RP, null, acsRootPort())
                .add(DEV, RP, ConfigSpaceBuilder.endpoint(0x1b36, 0x0010, 0x010802).pcie(0, true).msix(8)
                        .sriov(0x100, 0, 2, 0, 1, 1, 0x0010).build()).run().get(DEV);
        assertEquals(Verdict.Assignable, without.verdict(), without.reasons().toString());
    }

    @Test
    void bridgesAndConventionalFunctions() {
        Map<String, DeviceReport> m = new MiniHost().add(RP, null, acsRootPort())
                .add(DEV, RP, ConfigSpaceBuilder.endpoint(0x10ec, 0x8029, 0x020000).intx().conventionalSize().build())
                .run();
        assertEquals(Severity.ERROR, reason(m.get("0000:00:1c.0"), ReasonCode.BRIDGE_OR_PORT).severity());
        DeviceReport conv = m.get(DEV);
        assertEquals(Severity.ERROR, reason(conv, Target.HYPERV, ReasonCode.CONVENTIONAL_PCI).severity());
        assertEquals(Severity.ERROR, reason(conv, Target.HYPERV, ReasonCode.LINE_INTERRUPTS_ONLY).severity());
        assertEquals(Verdict.NotAssignable, conv.target(Target.HYPERV).verdict());
        // VFIO: a conventional function alone in its group (the port stays) is assignable, with warnings.
        Reason vfio = reason(conv, Target.VFIO, ReasonCode.CONVENTIONAL_PCI);
        assertEquals(Severity.WARNING, vfio.severity());
        assertTrue(vfio.message().contains("holds no other device"), vfio.message());
        assertEquals(Severity.WARNING, reason(conv, Target.VFIO, ReasonCode.LINE_INTERRUPTS_ONLY).severity());
        assertEquals(Verdict.AssignableWithWarnings, conv.verdict());
        assertTrue(conv.target(Target.HYPERV).reasons().stream()
                .noneMatch(r -> r.code().equals(ReasonCode.LINUX_VFIO_CONVENTIONAL)), "no Linux hint in Hyper-V's");
        assertEquals(Severity.ERROR, reason(m.get(RP), Target.VFIO, ReasonCode.BRIDGE_OR_PORT).severity());
    }

    @Test
    void deviceBehindPcieToPciBridge() {
        Map<String, DeviceReport> m = new MiniHost().add(RP, null, acsRootPort())
                .add(DEV, RP, ConfigSpaceBuilder.bridge(0x1b36, 0xe, 1, 2, 2).pcie(7, false).build())
                .add("0000:02:01.0", DEV,
                        ConfigSpaceBuilder.endpoint(0x1000, 1, 0x010000).msi().conventionalSize().build())
                .run();
        DeviceReport d = m.get("0000:02:01.0");
        assertTrue(codes(d).containsAll(Set.of(ReasonCode.BEHIND_PCI_BRIDGE, ReasonCode.ACS_PATH_MISSING)));
        assertEquals(List.of("0000:01:00.0", "0000:02:01.0"), d.predictedIommuGroup());
    }

    @Test
    void interruptsNoneAtAll() {
        DeviceReport d = single(ConfigSpaceBuilder.endpoint(0x1234, 1, 0x118000).pcie(0, true).build());
        assertEquals(Severity.INFO, reason(d, ReasonCode.NO_INTERRUPTS).severity());
    }

    @Test
    void acsMissingOnTheRootPortUnlessTheKernelQuirksIt() {
        byte[] ep = ConfigSpaceBuilder.endpoint(0x8086, 0x1533, 0x020000).pcie(0, true).msix(5).build();
        byte[] plainPort = ConfigSpaceBuilder.bridge(0x8086, 0x3a40, 0, 1, 1).pcie(4, false).build();
        DeviceReport bad = new MiniHost().add(RP, null, plainPort).add(DEV, RP, ep).run().get(DEV);
        Reason r = reason(bad, ReasonCode.ACS_PATH_MISSING);
        assertEquals("config:0000:00:1c.0", r.evidence().get(0).source());
        assertEquals("no ACS capability", r.evidence().get(0).value());
        // Cougar Point root port 0x1c10: listed in the kernel's PCH quirk table
        byte[] pchPort = ConfigSpaceBuilder.bridge(0x8086, 0x1c10, 0, 1, 1).pcie(4, false).build();
        DeviceReport ok = new MiniHost().add(RP, null, pchPort).add(DEV, RP, ep).run().get(DEV);
        assertTrue(reason(ok, ReasonCode.ACS_PATH_ISOLATED).evidence().get(0).value()
                .contains("pci_quirk_intel_pch_acs"));
    }

    @Test
    void acsControlMattersOnlyWhenTheIommuIsActive() {
        byte[] port = ConfigSpaceBuilder.bridge(0x1b36, 0xc, 0, 1, 1).pcie(4, false).acs(0x5f, 0x00).build();
        byte[] ep = ConfigSpaceBuilder.endpoint(0x1b36, 0x10, 0x010802).pcie(0, true).msix(4).build();
        DeviceReport predicted = new MiniHost().add(RP, null, port).add(DEV, RP, ep).run().get(DEV);
        assertTrue(codes(predicted).contains(ReasonCode.ACS_PATH_ISOLATED), "IOMMU off: kernel would enable ACS");
        DeviceReport live = new MiniHost().add(RP, null, port).add(DEV, RP, ep).iommu(IommuFactsFixtures.active())
                .run().get(DEV);
        assertTrue(codes(live).contains(ReasonCode.ACS_PATH_MISSING), "IOMMU on and ACS still off: not isolated");
    }

    @Test
    void resetRules() {
        // PM reset only when NoSoftRst is clear
        assertTrue(codes(single(ConfigSpaceBuilder.endpoint(1, 1, 0x020000).pcie(0, false).pm(false).msi().build()))
                .contains(ReasonCode.RESET_AVAILABLE));
        // alone on its bus below a bridge: secondary bus reset works
        DeviceReport alone = single(ConfigSpaceBuilder.endpoint(1, 1, 0x020000).pcie(0, false).pm(true).msi().build());
        assertEquals("Can be reset: bus.", reason(alone, ReasonCode.RESET_AVAILABLE).message());
        // two functions on the bus, no FLR, NoSoftRst set: nothing
        byte[] f = ConfigSpaceBuilder.endpoint(1, 1, 0x020000).multifunction().pcie(0, false).pm(true).msi().build();
        Map<String, DeviceReport> m = new MiniHost().add(RP, null, acsRootPort()).add(DEV, RP, f)
                .add("0000:01:00.1", RP, f).run();
        // the kernel would compute "bus", which would also reset the other function
        assertEquals(Severity.WARNING, reason(m.get(DEV), ReasonCode.BUS_RESET_SHARED).severity());
        assertFalse(codes(m.get(DEV)).contains(ReasonCode.RESET_AVAILABLE));
        // on the root bus there is no bridge for a bus reset: nothing
        byte[] g = ConfigSpaceBuilder.endpoint(1, 1, 0x020000).pcie(0, false).pm(true).msi().build();
        DeviceReport rootBus = new MiniHost().add("00:03.0", null, g).run().get("0000:00:03.0");
        assertEquals(Severity.WARNING, reason(rootBus, ReasonCode.NO_RESET).severity());
        // the kernel offers only "bus" on a shared bus: not trusted
        Map<String, DeviceReport> k = new MiniHost().add(RP, null, acsRootPort())
                .add(DEV, RP, f, List.of("bus"), List.of(), null).add("0000:01:00.1", RP, f).run();
        assertEquals(Severity.WARNING, reason(k.get(DEV), ReasonCode.BUS_RESET_SHARED).severity());
        assertEquals("bus", reason(k.get(DEV), ReasonCode.BUS_RESET_SHARED).evidence().get(0).value());
    }

    @Test
    void rmrrScopeThroughABridgeMakesTheDeviceNotAssignable() {
        byte[] usb = ConfigSpaceBuilder.endpoint(0x8086, 0x1e31, 0x0c0330).pcie(0, true).msi().build();
        // scope: start bus 0, path 1c.0 -> 00.0 (through the root port's secondary bus 1)
        Map<String, DeviceReport> m = new MiniHost().add(RP, null, acsRootPort()).add(DEV, RP, usb)
                .dmar(new DmarBytes(1).drhdIncludeAll(0xfed90000L).rmrr(0xbf000000L, 0xbf01ffffL, 1, 0, 0x1c, 0, 0, 0)
                        .build())
                .run();
        Reason r = reason(m.get(DEV), Target.HYPERV, ReasonCode.RESERVED_MEMORY_REGION);
        assertEquals(Severity.ERROR, r.severity());
        assertEquals("RMRR 0xbf000000-0xbf01ffff scope bus 00 -> 1c.0 -> 00.0", r.evidence().get(0).value());
        assertTrue(r.remediation().contains("relaxes"), "USB is relaxable on Linux");
        // VFIO: intel-iommu relaxes USB RMRRs, a warning only
        assertEquals(Severity.WARNING, reason(m.get(DEV), ReasonCode.RESERVED_MEMORY_REGION).severity());
        assertFalse(codes(m.get(RP)).contains(ReasonCode.RESERVED_MEMORY_REGION));
    }

    @Test
    void rmrrSubHierarchyCoversEverythingBelowTheBridge() {
        byte[] ep = ConfigSpaceBuilder.endpoint(0x1234, 1, 0x020000).pcie(0, true).msi().build();
        Map<String, DeviceReport> m = new MiniHost().add(RP, null, acsRootPort()).add(DEV, RP, ep)
                .dmar(new DmarBytes(1).rmrr(0x1000, 0x1fff, 2, 0, 0x1c, 0).build()).run();
        assertTrue(codes(m.get(DEV)).contains(ReasonCode.RESERVED_MEMORY_REGION));
        assertTrue(codes(m.get(RP)).contains(ReasonCode.RESERVED_MEMORY_REGION));
    }

    @Test
    void acsUnknownFromA256ByteDumpIsAWarning() {
        byte[] port = ConfigSpaceBuilder.bridge(0x1b36, 0xc, 0, 1, 1).pcie(4, false).conventionalSize().build();
        byte[] ep = ConfigSpaceBuilder.endpoint(0x1b36, 0x10, 0x010802).pcie(0, true).msix(4).build();
        DeviceReport d = new MiniHost().add(RP, null, port).add(DEV, RP, ep).run().get(DEV);
        assertEquals(Severity.WARNING, reason(d, ReasonCode.ACS_PATH_UNKNOWN).severity());
        assertFalse(codes(d).contains(ReasonCode.ACS_PATH_MISSING));
        assertEquals(List.of("0000:00:1c.0", DEV), d.predictedIommuGroup(), "grouping stays conservative");
    }

    @Test
    void hostUseReasons() {
        byte[] ep = ConfigSpaceBuilder.endpoint(0x144d, 0xa808, 0x010802).pcie(0, true).msix(8).build();
        HostUse use = new HostUse(Set.of(DEV), Map.of(DEV, List.of("/")), Set.of(DEV), Map.of(), Map.of(), Map.of(DEV, List.of("eno1")), true);
        DeviceReport d = new MiniHost().add(RP, null, acsRootPort()).add(DEV, RP, ep).hostUse(use).run().get(DEV);
        assertEquals(Severity.ERROR, reason(d, ReasonCode.HOST_STORAGE).severity());
        assertEquals(Severity.ERROR, reason(d, ReasonCode.HOST_NETWORK).severity());
        assertEquals(Severity.WARNING, reason(d, ReasonCode.HOST_BOOT_DISPLAY).severity());
    }

    @Test
    void groupWithAHostCriticalDevice() {
        byte[] f = ConfigSpaceBuilder.endpoint(0x1234, 1, 0x020000).multifunction().pcie(0, true).msi().build();
        HostUse use = new HostUse(Set.of(), Map.of(), Set.of(), Map.of(), Map.of(), Map.of("0000:01:00.1", List.of("eth0")), true);
        Map<String, DeviceReport> m = new MiniHost().add(RP, null, acsRootPort()).add(DEV, RP, f)
                .add("0000:01:00.1", RP, f).hostUse(use).run();
        Reason r = reason(m.get(DEV), ReasonCode.IOMMU_GROUP_HOST_CRITICAL);
        assertTrue(r.message().contains("0000:01:00.1 (default route via eth0)"), r.message());
        assertEquals(Verdict.NotAssignable, m.get(DEV).verdict());
    }

    @Test
    void mmioSplitsBelowAndAboveFourGiB() {
        List<Bar> bars = List.of(new Bar(0, 0xf6000000L, 16L << 20, Bar.MEMORY, false, false),
                new Bar(1, 0xe0000000L, 256L << 20, Bar.MEMORY, true, true),
                new Bar(3, 0xf0000000L, 32L << 20, Bar.MEMORY, true, true),
                new Bar(5, 0xe000, 0x80, Bar.IO, false, false));
        byte[] gpu = ConfigSpaceBuilder.endpoint(0x10de, 0x1b80, 0x030000).pcie(0, false).msi().build();
        DeviceReport d = new MiniHost().add(RP, null, acsRootPort()).add(DEV, RP, gpu, List.of(), bars, null).run()
                .get(DEV);
        assertEquals(new MmioRequirement(16L << 20, 288L << 20), d.mmio());
        Reason r = reason(d, ReasonCode.MMIO_REQUIREMENT);
        assertTrue(r.message().startsWith("And it requires at least: 304 MB of MMIO gap space. "
                + "16 MiB below 4 GiB (32-bit BARs), 288 MiB above (64-bit BARs)"), r.message());
        assertTrue(r.remediation().contains("-LowMemoryMappedIoSpace 128MB -HighMemoryMappedIoSpace 512MB"),
                r.remediation());
        assertTrue(r.remediation().contains("pci-hole64-size=1G"), r.remediation());
        assertFalse(codes(d).contains(ReasonCode.MMIO_ABOVE_DEFAULT));
    }

    @Test
    void mmioAboveTheHyperVDefaults() {
        List<Bar> bars = List.of(new Bar(0, 0xf6000000L, 16L << 20, Bar.MEMORY, false, false),
                new Bar(1, 0x4000000000L, 16L << 30, Bar.MEMORY, true, true),
                new Bar(3, 0x4400000000L, 32L << 20, Bar.MEMORY, true, true));
        byte[] gpu = ConfigSpaceBuilder.endpoint(0x10de, 0x2204, 0x030000).pcie(0, false).msi().build();
        DeviceReport d = new MiniHost().add(RP, null, acsRootPort()).add(DEV, RP, gpu, List.of(), bars, null).run()
                .get(DEV);
        Reason w = reason(d, Target.HYPERV, ReasonCode.MMIO_ABOVE_DEFAULT);
        // under QEMU's 32 GiB default 64-bit hole: no warning for VFIO
        assertFalse(codes(d).contains(ReasonCode.MMIO_ABOVE_DEFAULT));
        // 16 GiB + 32 MiB of 64-bit BARs: next power of two is 32 GiB
        assertTrue(w.remediation().contains("-HighMemoryMappedIoSpace 32768MB"), w.remediation());
        assertTrue(w.remediation().contains("pci-hole64-size=32G"), w.remediation());
    }

    @Test
    void unreadableConfigSpaceIsAWarningNotAVerdictOnTheType() {
        byte[] short64 = new byte[64];
        System.arraycopy(ConfigSpaceBuilder.endpoint(0x8086, 0x1533, 0x020000).build(), 0, short64, 0, 64);
        DeviceReport d = single(short64);
        assertEquals(Severity.WARNING, reason(d, ReasonCode.CONFIG_SPACE_INCOMPLETE).severity());
        assertFalse(codes(d).contains(ReasonCode.CONVENTIONAL_PCI));
    }
}
