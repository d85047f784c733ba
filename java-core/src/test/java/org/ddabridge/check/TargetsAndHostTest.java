package org.ddabridge.check;

import static org.ddabridge.testing.IvrsBytes.devid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.ddabridge.model.IommuFacts;
import org.ddabridge.platform.dump.DumpPlatform;
import org.ddabridge.survey.Survey;
import org.ddabridge.survey.SurveyReport;
import org.ddabridge.testing.IvrsBytes;
import org.ddabridge.testing.ConfigSpaceBuilder;

/**
 * The headline against the host's readiness, the IVRS table in the checker, the kernel's DMA-alias and
 * reset quirks, AF FLR and missing host evidence.
 */
class TargetsAndHostTest {
    static final String RP = DeviceRulesTest.RP;
    static final String DEV = DeviceRulesTest.DEV;

    static byte[] nvme() {
        return ConfigSpaceBuilder.endpoint(0x1b36, 0x10, 0x010802).pcie(0, true).msix(8).build();
    }

    static Map<String, DeviceReport> withHost(IommuFacts f) {
        return new MiniHost().add(RP, null, DeviceRulesTest.acsRootPort()).add(DEV, RP, nvme()).iommu(f).run();
    }

    /** noiommu host: DMAR present, intel_iommu=off, no groups; nointremap: groups but no remapping, unsafe=N. */
    static IommuFacts noInterruptRemapping(Boolean allowUnsafe) {
        return new IommuFacts(true, true, 0, false, List.of("dmar0"), 12, List.of("identity"), "intel_iommu=on", true,
                List.of("DMAR: IOMMU enabled"), false, true, 0, allowUnsafe, true, null, true, true, "QEMU");
    }

    @Test
    void iommuOffBlocksTheHeadlineButNotTheDeviceOnlyVerdict() {
        DeviceReport d = withHost(IommuFactsFixtures.off()).get(DEV);
        assertEquals(Verdict.Assignable, d.target(Target.VFIO).verdict(), d.target(Target.VFIO).reasons().toString());
        assertEquals(Verdict.NotAssignable, d.verdict());
        Reason r = d.reasons().get(0);
        assertEquals(ReasonCode.HOST_NOT_READY, r.code());
        assertTrue(r.message().contains("host check IommuEnabled fails"), r.message());
        assertTrue(r.remediation().contains("intel_iommu=on"), r.remediation());
        assertTrue(r.evidence().contains(new Evidence("proc/cmdline", "intel_iommu=off")), r.evidence().toString());
    }

    @Test
    void interruptRemappingOffBlocksUnlessUnsafeInterruptsAreAllowed() {
        DeviceReport strict = withHost(noInterruptRemapping(Boolean.FALSE)).get(DEV);
        assertEquals(Verdict.NotAssignable, strict.verdict());
        assertTrue(strict.reasons().get(0).message().contains("InterruptRemapping"), strict.reasons().toString());
        DeviceReport unsafe = withHost(noInterruptRemapping(Boolean.TRUE)).get(DEV);
        assertEquals(Verdict.Assignable, unsafe.verdict(), "allow_unsafe_interrupts: a warning on the host only");
        DeviceReport healthy = withHost(IommuFactsFixtures.active()).get(DEV);
        assertEquals(Verdict.Assignable, healthy.verdict(), healthy.reasons().toString());
    }

    @Test
    void summaryCountsHeadlines() {
        Checker.Result r = new MiniHost().add(RP, null, DeviceRulesTest.acsRootPort()).add(DEV, RP, nvme())
                .iommu(IommuFactsFixtures.off()).result();
        assertEquals(Map.of("Assignable", 0, "AssignableWithWarnings", 0, "NotAssignable", 2), r.summary());
    }

    @Test
    void missingEvidenceIsUnknownNotFail() {
        // An image with the DMAR table (flags: IR supported) but no kernel log and no /proc/interrupts.
        IommuFacts f = new IommuFacts(true, true, 1, false, List.of("dmar0"), 8, List.of("DMA"), "", false, List.of(),
                false, false, 0, null, true, null, false, false, "");
        HostCheck ir = HostChecksTest.run(f).get(HostChecks.INTERRUPT_REMAPPING);
        assertEquals(CheckStatus.UNKNOWN, ir.status(), ir.message());
        assertEquals(Verdict.Assignable, withHost(f).get(DEV).verdict(), "unknown does not block");
    }

    @Test
    void ivrsReadsInterruptRemappingSupport() {
        IommuFacts amd = new IommuFacts(true, false, -1, true, List.of("ivhd0"), 8, List.of("DMA"), "amd_iommu=on", true,
                List.of("AMD-Vi: Found IOMMU"), false, true, 0, Boolean.FALSE, true, null, false, true, "", Boolean.TRUE);
        HostCheck ir = HostChecksTest.run(amd).get(HostChecks.INTERRUPT_REMAPPING);
        assertEquals(CheckStatus.FAIL, ir.status());
        assertTrue(ir.message().contains("although the platform supports it"), ir.message());
        assertTrue(ir.evidence().stream().anyMatch(e -> e.source().endsWith("IVRS") && e.value().contains("IOAPIC")));
    }

    @Test
    void ivmdBlocksAreReservedMemory() {
        byte[] unity = new IvrsBytes().ivmd(0x21, 0x07, devid(1, 0, 0), 0, 0xcb000000L, 0x100000).build();
        DeviceReport d = new MiniHost().add(RP, null, DeviceRulesTest.acsRootPort()).add(DEV, RP, nvme())
                .ivrs(unity).run().get(DEV);
        Reason vfio = DeviceRulesTest.reason(d, Target.VFIO, ReasonCode.RESERVED_MEMORY_REGION);
        assertEquals(Severity.ERROR, vfio.severity(), "a unity map is a direct region: VFIO refuses");
        assertEquals(new Evidence("sys/firmware/acpi/tables/IVRS",
                "IVMD type 21h 0xcb000000-0xcb0fffff unity map r w for device 01:00.0"), vfio.evidence().get(0));
        assertEquals(Severity.ERROR, DeviceRulesTest.reason(d, Target.HYPERV, ReasonCode.RESERVED_MEMORY_REGION)
                .severity());
        byte[] exclusion = new IvrsBytes().ivmd(0x22, 0x0f, devid(1, 0, 0), devid(1, 0, 7), 0xfd000000L, 0x1000)
                .build();
        DeviceReport e = new MiniHost().add(RP, null, DeviceRulesTest.acsRootPort()).add(DEV, RP, nvme())
                .ivrs(exclusion).run().get(DEV);
        assertEquals(Severity.WARNING, DeviceRulesTest.reason(e, Target.VFIO, ReasonCode.RESERVED_MEMORY_REGION)
                .severity(), "an exclusion range is not a direct mapping");
        assertFalse(DeviceRulesTest.codes(new MiniHost().add(RP, null, DeviceRulesTest.acsRootPort())
                .add(DEV, RP, nvme()).ivrs(exclusion).run().get(RP)).contains(ReasonCode.RESERVED_MEMORY_REGION));
    }

    /** Two single-function endpoints on bus 01 below an ACS port: each alone, unless something aliases them. */
    static MiniHost twoOnOneBus(int vendor, int device) {
        byte[] a = ConfigSpaceBuilder.endpoint(vendor, device, 0x010601).pcie(0, false).msi().build();
        byte[] b = ConfigSpaceBuilder.endpoint(0x1234, 0x2, 0x010601).pcie(0, false).msi().build();
        return new MiniHost().add(RP, null, DeviceRulesTest.acsRootPort()).add("01:00.0", RP, a)
                .add("01:01.0", RP, b);
    }

    @Test
    void ivrsAliasEntriesMergeGroups() {
        assertEquals(List.of(DEV), twoOnOneBus(0x1234, 1).run().get(DEV).predictedIommuGroup());
        byte[] alias = new IvrsBytes().ivhd(0x40, 2, 0, 0xfeb80000L).alias(0x42, devid(1, 1, 0), devid(1, 0, 0))
                .special(0x21, devid(0, 0x14, 0), 1).endIvhd().build();
        Map<String, DeviceReport> m = twoOnOneBus(0x1234, 1).ivrs(alias).run();
        assertEquals(List.of(DEV, "0000:01:01.0"), m.get("0000:01:01.0").predictedIommuGroup());
        Reason r = DeviceRulesTest.reason(m.get("0000:01:01.0"), ReasonCode.DMA_ALIAS_QUIRK);
        assertTrue(r.evidence().get(0).value().contains("requester id of 0000:01:00.0"), r.toString());
    }

    @Test
    void kernelDmaAliasQuirkMergesThePhantomFunction() {
        // Marvell 88SE9172 at 01:00.0 issues DMA as 01:00.1 too; make 01:00.1 exist (as on real boards).
        byte[] marvell = ConfigSpaceBuilder.endpoint(0x1b4b, 0x9172, 0x010601).pcie(0, false).msi().build();
        byte[] other = ConfigSpaceBuilder.endpoint(0x1234, 0x2, 0x010601).pcie(0, false).msi().build();
        Map<String, DeviceReport> m = new MiniHost().add(RP, null, DeviceRulesTest.acsRootPort())
                .add("01:00.0", RP, marvell).add("01:00.1", RP, other).run();
        assertTrue(m.get(DEV).predictedIommuGroup().contains("0000:01:00.1"));
        Reason r = DeviceRulesTest.reason(m.get(DEV), ReasonCode.DMA_ALIAS_QUIRK);
        assertEquals(new Evidence("kernel quirk",
                "1b4b:9172: DMA also uses requester id 00.1 (kernel quirk_dma_func1_alias)"), r.evidence().get(0));
        // Without the alias target the group stays as ACS decides (the kernel adds no phantom device).
        Map<String, DeviceReport> alone = new MiniHost().add(RP, null, DeviceRulesTest.acsRootPort())
                .add("01:00.0", RP, marvell).run();
        assertEquals(List.of(DEV), alone.get(DEV).predictedIommuGroup());
    }

    @Test
    void kernelNoFlrQuirkTakesFlrAway() {
        // AMD Matisse USB 3.0 (1022:149c) advertises FLR; the kernel's quirk_no_flr disables it.
        byte[] usb = ConfigSpaceBuilder.endpoint(0x1022, 0x149c, 0x0c0330).pcie(0, true).msix(8).pm(true).build();
        DeviceReport d = new MiniHost().add(RP, null, DeviceRulesTest.acsRootPort()).add(DEV, RP, usb).run().get(DEV);
        assertEquals("Can be reset: bus.", DeviceRulesTest.reason(d, ReasonCode.RESET_AVAILABLE).message());
        assertTrue(DeviceRulesTest.reason(d, ReasonCode.RESET_QUIRK).evidence().get(0).value()
                .contains("1022:149c: quirk_no_flr"));
        byte[] plain = ConfigSpaceBuilder.endpoint(0x1022, 0x1234, 0x0c0330).pcie(0, true).msix(8).pm(true).build();
        DeviceReport p = new MiniHost().add(RP, null, DeviceRulesTest.acsRootPort()).add(DEV, RP, plain).run().get(DEV);
        assertEquals("Can be reset: flr, bus.", DeviceRulesTest.reason(p, ReasonCode.RESET_AVAILABLE).message());
    }

    @Test
    void advancedFeaturesFlrOfARealIch10UsbController() throws IOException {
        // pciutils' cap-pci-af: ICH10 UHCI (8086:3a34) on the root bus, conventional PCI, "AFCap: TP+ FLR+".
        String text = Files.readString(DeviceRulesTestFiles.lspci("cap-pci-af"), StandardCharsets.ISO_8859_1);
        SurveyReport r = Survey.ofHost(new DumpPlatform(text, "cap-pci-af"), l -> l);
        DeviceReport uhci = r.report("0000:00:1d.0");
        Reason reset = DeviceRulesTest.reason(uhci, ReasonCode.RESET_AVAILABLE);
        assertEquals("Can be reset: af_flr.", reset.message());
        assertTrue(reset.evidence().get(0).value().contains("AF_FLR=true"), reset.evidence().toString());
    }
}
