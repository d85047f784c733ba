package org.ddabridge.assign.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.survey.Survey;
import org.ddabridge.survey.SurveyReport;
import org.ddabridge.util.Json;

/**
 * The production dismount policy follows the survey's headline (VFIO on Linux unless the request names a
 * target), host readiness included, on fake trees through the simulated driver core.
 */
class SurveyPolicyTest {
    @TempDir
    Path tmp;

    private static AssignService production() {
        return new AssignService(r -> new SimulatedDriverCore(r, FakeHost.naturalDrivers()),
                new SurveyPolicy(), CrashHook.NONE, Map.of());
    }

    private static AssignabilityPolicy.Verdict verdict(FakeHost h, String address, String target) {
        HostSnapshot snap = new LinuxPlatform(h.hostRoot()).snapshot();
        SurveyReport survey = Survey.ofSnapshot(new LinuxPlatform(h.hostRoot()), snap, all -> all,
                org.ddabridge.check.Target.parse(target));
        PciDevice d = snap.devices().stream().filter(x -> x.address().equals(address)).findFirst().orElseThrow();
        return new SurveyPolicy().evaluate(d, snap, survey);
    }

    @Test
    void vfioRulesByDefaultHyperVOnRequest() {
        FakeHost h = new FakeHost(tmp.resolve("a")).reference(true);
        // the e1000e pair sits behind a root port without ACS: Hyper-V refuses that, VFIO only needs the group
        AssignabilityPolicy.Verdict vfio = verdict(h, FakeHost.E1000E_0, null);
        assertTrue(vfio.assignable(), vfio.toString());
        assertEquals("AssignableWithWarnings", vfio.status());
        AssignabilityPolicy.Verdict hv = verdict(h, FakeHost.E1000E_0, "hyperv");
        assertFalse(hv.assignable(), hv.toString());
        assertTrue(hv.reasons().stream().anyMatch(r -> r.code().equals("AcsPathMissing")), hv.toString());
        // a conventional function behind a PCIe-to-PCI bridge: NotAssignable for Hyper-V, a warning for VFIO
        AssignabilityPolicy.Verdict ne2k = verdict(h, FakeHost.NE2K_1, null);
        assertTrue(ne2k.assignable(), ne2k.toString());
        assertTrue(ne2k.reasons().stream().anyMatch(r -> r.code().equals("BehindPciBridge")), ne2k.toString());
        assertFalse(verdict(h, FakeHost.NE2K_1, "hyperv").assignable());
    }

    @Test
    void aBlockingHostCheckRefusesUnlessForced() {
        FakeHost h = new FakeHost(tmp.resolve("b")).reference(true);
        // MSIs in use, none through an IR- chip, and vfio_iommu_type1 without allow_unsafe_interrupts: the kernel
        // would refuse every group at VFIO_SET_IOMMU
        h.write("proc/interrupts", "           CPU0\n 24:          5  PCI-MSI 524288-edge      nvme0q0\n");
        h.write("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "N\n");
        AssignabilityPolicy.Verdict v = verdict(h, FakeHost.NVME, null);
        assertFalse(v.assignable(), v.toString());
        assertEquals("HostNotReady", v.reasons().get(0).code(), v.toString());
        EngineException e = assertThrows(EngineException.class, () -> production().dismount(
                AssignServiceTest.args("dismount", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals(ErrorId.Refused, e.id());
        String details = Json.compact().toJson(e.details());
        assertTrue(details.contains("\"NotAssignable\"") && details.contains("HostNotReady"), details);
        Map<?, ?> done = (Map<?, ?>) production().dismount(
                AssignServiceTest.args("dismount", h, "address", FakeHost.NVME, "force", true), Progress.NONE);
        assertEquals("done", done.get("status"));
        assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.NVME));
    }

    @Test
    void theSameHostWithRemappingDismountsWithoutForce() {
        FakeHost h = new FakeHost(tmp.resolve("c")).reference(true);
        h.write("proc/interrupts", "           CPU0\n 24:          5  IR-PCI-MSI 524288-edge      nvme0q0\n");
        Map<?, ?> done = (Map<?, ?>) production().dismount(
                AssignServiceTest.args("dismount", h, "address", FakeHost.NVME), Progress.NONE);
        assertEquals("done", done.get("status"));
    }
}
