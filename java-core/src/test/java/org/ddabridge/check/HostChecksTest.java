package org.ddabridge.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.ddabridge.model.IommuFacts;
/** Host check statuses for typical hosts. */
class HostChecksTest {
    static Map<String, HostCheck> run(IommuFacts f) {
        Map<String, HostCheck> m = new TreeMap<>();
        HostChecks.run(f).forEach(c -> m.put(c.id(), c));
        return m;
    }

    @Test
    void healthyIntelHost() {
        Map<String, HostCheck> m = run(IommuFactsFixtures.active());
        m.values().forEach(c -> assertEquals(CheckStatus.PASS, c.status(), c.id() + ": " + c.message()));
        assertTrue(m.get("IommuMode").message().startsWith("Translated"));
    }

    @Test
    void iommuSwitchedOffOnTheCommandLine() {
        Map<String, HostCheck> m = run(IommuFactsFixtures.off());
        assertEquals(CheckStatus.PASS, m.get("IommuPresent").status(), "DMAR is there");
        HostCheck enabled = m.get("IommuEnabled");
        assertEquals(CheckStatus.FAIL, enabled.status());
        assertTrue(enabled.message().contains("switched off on the kernel command line"), enabled.message());
        assertTrue(enabled.evidence().contains(new Evidence("proc/cmdline", "intel_iommu=off")));
        assertTrue(enabled.remediation().contains("intel_iommu=on"));
        assertEquals(CheckStatus.FAIL, m.get("InterruptRemapping").status());
        assertEquals(CheckStatus.FAIL, m.get("VfioAvailable").status());
        assertEquals(CheckStatus.UNKNOWN, m.get("IommuMode").status());
    }

    @Test
    void unsafeInterruptsAreAWarning() {
        IommuFacts f = new IommuFacts(true, true, 0, false, List.of("dmar0"), 3, List.of("identity"), "iommu=pt", true,
                List.of("DMAR: IOMMU enabled"), false, true, 0, Boolean.TRUE, true, null, false, true,
                "QEMU Standard PC (Q35 + ICH9, 2009)");
        Map<String, HostCheck> m = run(f);
        assertEquals(CheckStatus.WARN, m.get("InterruptRemapping").status());
        assertEquals(CheckStatus.WARN, m.get("Nested").status(), "DMI alone says QEMU (CPU flag hidden)");
        assertTrue(m.get("Nested").evidence().contains(
                new Evidence("sys/class/dmi/id", "QEMU Standard PC (Q35 + ICH9, 2009)")));
        assertTrue(m.get("IommuMode").message().startsWith("Passthrough"));
    }

    @Test
    void noEvidenceAtAll() {
        IommuFacts f = new IommuFacts(true, false, -1, false, List.of(), 0, List.of(), "", false, List.of(), false,
                false, 0, null, false, null, false, false, "");
        Map<String, HostCheck> m = run(f);
        assertEquals(CheckStatus.FAIL, m.get("IommuPresent").status());
        assertEquals(CheckStatus.UNKNOWN, m.get("InterruptRemapping").status());
        assertEquals(CheckStatus.UNKNOWN, m.get("VfioAvailable").status(), "host image: module files not captured");
    }

    @Test
    void dumpsKnowNothing() {
        run(IommuFacts.unknown()).values().forEach(c -> assertEquals(CheckStatus.UNKNOWN, c.status()));
        assertEquals(6, HostChecks.run(IommuFacts.unknown()).size());
    }

    @Test
    void failingChecksNameTheCommandThatFixesThem() {
        // VT-d in the firmware, the kernel not asked to use it, vfio-pci installed but not loaded.
        IommuFacts f = new IommuFacts(true, true, 1, false, List.of(), 0, List.of(), "quiet", true,
                List.of(), false, true, 0, null, false, "lib/modules/6.1.0/kernel/drivers/vfio/pci/vfio-pci.ko", false,
                true, "");
        Map<String, HostCheck> m = run(f);
        HostCheck enabled = m.get("IommuEnabled");
        assertEquals(CheckStatus.FAIL, enabled.status());
        assertTrue(enabled.nextCommand() != null && enabled.nextCommand().contains("intel_iommu=on iommu=pt")
                && enabled.nextCommand().contains("update-grub"), String.valueOf(enabled.nextCommand()));
        HostCheck vfio = m.get("VfioAvailable");
        assertEquals(CheckStatus.WARN, vfio.status());
        assertEquals("modprobe vfio-pci", vfio.nextCommand());
        // Switched off on the command line: a parameter must go, which no safe one-liner does.
        assertEquals(null, run(IommuFactsFixtures.off()).get("IommuEnabled").nextCommand());
        // A passing check has nothing to run.
        run(IommuFactsFixtures.active()).values().forEach(c -> assertEquals(null, c.nextCommand(), c.id()));
    }
}
