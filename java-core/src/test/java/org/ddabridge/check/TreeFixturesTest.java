package org.ddabridge.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.ddabridge.platform.dump.DumpPlatform;
import org.ddabridge.survey.Survey;
import org.ddabridge.survey.SurveyReport;
/**
 * Whole machines from pciutils' test dumps, surveyed offline ({@code survey --dump}). Every expected
 * group and verdict below was worked out by hand from the dumps' {@code lspci -vvv} text and the kernel's
 * grouping rules (drivers/iommu/iommu.c pci_device_group, drivers/pci/pci.c pci_acs_enabled, the ACS
 * quirks of drivers/pci/quirks.c), with Microsoft's survey rules for the verdicts. ACS control bits in
 * the dumps are 0 (the IOMMU was off when they were taken), so a port with an ACS capability counts as
 * isolating, as it would once the kernel enables ACS.
 */
class TreeFixturesTest {
    static Path data(String name) {
        return Path.of(System.getProperty("ddabridge.repo", ".."), "tests", "fixtures", "lspci", name);
    }

    static Map<String, DeviceReport> survey(String name) throws IOException {
        String text = Files.readString(data(name), StandardCharsets.ISO_8859_1);
        SurveyReport r = Survey.ofHost(new DumpPlatform(text, name), l -> l);
        Map<String, DeviceReport> m = new TreeMap<>();
        for (DeviceReport d : r.reports()) {
            m.put(d.device().address(), d);
        }
        for (HostCheck c : r.checks()) {
            assertEquals(CheckStatus.UNKNOWN, c.status(), c.id());
        }
        return m;
    }

    static Set<List<String>> partition(Map<String, DeviceReport> m) {
        return m.values().stream().map(DeviceReport::predictedIommuGroup).collect(Collectors.toSet());
    }

    static List<String> g(String domain, String... shortAddresses) {
        return java.util.Arrays.stream(shortAddresses).map(a -> domain + ":" + a).sorted().toList();
    }

    /** Hyper-V's device-only verdicts (the expectations below follow Microsoft's rules). */
    static void assertVerdicts(Map<String, DeviceReport> m, Map<String, Verdict> expected) {
        assertVerdicts(m, expected, Target.HYPERV);
    }

    static void assertVerdicts(Map<String, DeviceReport> m, Map<String, Verdict> expected, Target t) {
        expected.forEach((a, v) -> assertEquals(v, m.get(a).target(t).verdict(), t + " " + a + " "
                + m.get(a).target(t).reasons().stream().map(Reason::code).toList()));
        // A dump has no host evidence: nothing blocks, so the headline is VFIO's device-only verdict.
        m.values().forEach(d -> assertEquals(d.target(Target.VFIO).verdict(), d.verdict(), d.device().address()));
    }

    @Test
    void asusP6t6X58Workstation() throws IOException {
        Map<String, DeviceReport> m = survey("tree-asus-p6t6");
        assertEquals(53, m.size());
        Set<List<String>> expected = Set.of(
                g("0000", "00:00.0"),                   // host bridge on the root bus, single function
                g("0000", "00:01.0"),                   // X58 root ports have ACS (cap 0x1f): each alone
                g("0000", "00:03.0"),
                g("0000", "00:07.0"),
                g("0000", "00:10.0", "00:10.1"),        // conventional multifunction registers: no ACS, one group
                g("0000", "00:14.0"),                   // Intel RC integrated endpoints: kernel quirk isolates them
                g("0000", "00:14.1"),
                g("0000", "00:14.2"),
                g("0000", "00:14.3"),                   // conventional, but its siblings isolate: alone
                g("0000", "00:1a.0", "00:1a.1", "00:1a.2", "00:1a.7"), // ICH10 USB: conventional multifunction
                g("0000", "00:1b.0"),                   // HD audio: Intel RCiEP quirk
                // ICH10 root ports 3a40/3a42/3a44: multifunction, no ACS, not in the PCH quirk list -> one group
                // with everything below them
                g("0000", "00:1c.0", "00:1c.1", "00:1c.2", "07:00.0", "08:00.0"),
                g("0000", "00:1d.0", "00:1d.1", "00:1d.2", "00:1d.7"),
                g("0000", "00:1e.0"),                   // PCI bridge with nothing behind it
                g("0000", "00:1f.0", "00:1f.2", "00:1f.3"), // LPC/SATA/SMBus: conventional multifunction
                g("0000", "02:00.0"),                   // NF200 upstream port: single function, below an ACS port
                g("0000", "03:00.0", "04:00.0"),        // NF200 downstream port has no ACS: SAS joins the port
                g("0000", "03:02.0"),
                g("0000", "06:00.0", "06:00.1"),        // GPU + HDMI audio: multifunction endpoints without ACS
                g("0000", "ff:00.0", "ff:00.1"),        // uncore functions: per slot, conventional multifunction
                g("0000", "ff:02.0", "ff:02.1"),
                g("0000", "ff:03.0", "ff:03.1", "ff:03.4"),
                g("0000", "ff:04.0", "ff:04.1", "ff:04.2", "ff:04.3"),
                g("0000", "ff:05.0", "ff:05.1", "ff:05.2", "ff:05.3"),
                g("0000", "ff:06.0", "ff:06.1", "ff:06.2", "ff:06.3"));
        assertEquals(expected, partition(m));
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        // PCIe endpoint, MSI, ACS on the path; shares its group with the HDMI audio function
        verdicts.put("0000:06:00.0", Verdict.AssignableWithWarnings);
        verdicts.put("0000:06:00.1", Verdict.AssignableWithWarnings); // same group as the GPU
        verdicts.put("0000:00:1b.0", Verdict.AssignableWithWarnings); // RC integrated endpoint: "less secure"
        verdicts.put("0000:04:00.0", Verdict.NotAssignable);          // NF200 downstream port lacks ACS
        verdicts.put("0000:07:00.0", Verdict.NotAssignable);          // ICH10 root port lacks ACS
        verdicts.put("0000:00:1a.0", Verdict.NotAssignable);          // conventional PCI, INTx only
        verdicts.put("0000:00:1f.2", Verdict.NotAssignable);          // conventional, group holds the LPC bridge
        verdicts.put("0000:00:03.0", Verdict.NotAssignable);          // root port
        verdicts.put("0000:00:00.0", Verdict.NotAssignable);          // host bridge
        assertVerdicts(m, verdicts);
        Map<String, Verdict> vfio = new LinkedHashMap<>();
        vfio.put("0000:00:1b.0", Verdict.Assignable);             // VFIO takes an RC integrated endpoint as is
        vfio.put("0000:00:1a.0", Verdict.AssignableWithWarnings); // conventional, INTx only: VFIO forwards INTx
        vfio.put("0000:00:1f.2", Verdict.NotAssignable);          // its group holds the LPC bridge
        vfio.put("0000:00:03.0", Verdict.NotAssignable);          // root port: vfio-pci binds no bridge
        vfio.put("0000:00:00.0", Verdict.NotAssignable);          // host bridge
        assertVerdicts(m, vfio, Target.VFIO);
        assertEquals(List.of("0000:06:00.1"), m.get("0000:06:00.0").mustMoveWith());
        assertEquals(List.of(), m.get("0000:04:00.0").mustMoveWith(), "the downstream port stays with the host");
        assertTrue(QemuReferenceTest.codes(m.get("0000:04:00.0")).contains(ReasonCode.ACS_PATH_MISSING));
        assertTrue(QemuReferenceTest.codes(m.get("0000:00:1f.2")).contains(ReasonCode.IOMMU_GROUP_HOST_CRITICAL));
        assertEquals(null, m.get("0000:06:00.0").mmio(), "BAR sizes are not in a dump");
    }

    @Test
    void freescaleP2020ThreeDomains() throws IOException {
        Map<String, DeviceReport> m = survey("tree-fsl-p2020");
        // Each controller is a root port without ACS on its own domain: the endpoint joins the port's group.
        assertEquals(Set.of(g("0000", "04:00.0", "05:00.0"), g("0001", "02:00.0", "03:00.0"),
                g("0002", "00:00.0", "01:00.0")), partition(m));
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        verdicts.put("0000:04:00.0", Verdict.NotAssignable); // the controller's root port (bridge)
        verdicts.put("0000:05:00.0", Verdict.NotAssignable); // QCA986x endpoint: no ACS on the root port
        verdicts.put("0001:03:00.0", Verdict.NotAssignable); // AR93xx: same
        verdicts.put("0002:01:00.0", Verdict.NotAssignable); // TUSB73x0 xHCI: same
        assertVerdicts(m, verdicts);
        // VFIO: no ACS only merges the endpoint with its root port, which stays with the host.
        assertVerdicts(m, Map.of("0000:05:00.0", Verdict.Assignable, "0000:04:00.0", Verdict.NotAssignable),
                Target.VFIO);
        // 168c:003c (QCA986x) is on the kernel's quirk_no_bus_reset list: shown with its evidence.
        Reason quirk = m.get("0000:05:00.0").reasons().stream().filter(r -> r.code().equals(ReasonCode.RESET_QUIRK))
                .findFirst().orElseThrow();
        assertTrue(quirk.evidence().get(0).value().contains("168c:003c: quirk_no_bus_reset"), quirk.toString());
        assertEquals(List.of(), m.get("0000:05:00.0").mustMoveWith(), "only the root port shares the group");
        assertEquals("PCIROOT(4)#PCI(0000)#PCI(0000)", m.get("0000:05:00.0").device().locationPath());
    }

    @Test
    void fujitsuP8010Laptop() throws IOException {
        Map<String, DeviceReport> m = survey("tree-fujitsu-p8010");
        Set<List<String>> expected = Set.of(
                g("0000", "00:00.0"),                             // host bridge
                g("0000", "00:02.0", "00:02.1"),                  // GM965 graphics: conventional multifunction
                g("0000", "00:1a.0", "00:1a.1", "00:1a.7"),       // ICH8 USB
                g("0000", "00:1b.0"),                             // HD audio: Intel RCiEP quirk
                // ICH8 root ports 283f/2847: multifunction, no ACS, not quirked: one group with both cards
                g("0000", "00:1c.0", "00:1c.4", "04:00.0", "14:00.0"),
                g("0000", "00:1d.0", "00:1d.1", "00:1d.7"),
                // PCI bridge 00:1e.0 and the CardBus bridge alias everything below to the topmost bridge
                g("0000", "00:1e.0", "1c:03.0", "1c:03.2", "1c:03.4", "1d:00.0"),
                g("0000", "00:1f.0", "00:1f.2", "00:1f.3"));      // LPC/SATA/SMBus
        assertEquals(expected, partition(m));
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        verdicts.put("0000:00:1b.0", Verdict.AssignableWithWarnings); // RC integrated endpoint
        verdicts.put("0000:00:02.0", Verdict.NotAssignable);          // integrated graphics without PCIe capability
        verdicts.put("0000:04:00.0", Verdict.NotAssignable);          // Marvell 88E8055: legacy endpoint, non-VGA
        verdicts.put("0000:14:00.0", Verdict.NotAssignable);          // Intel 4965 behind a root port without ACS
        verdicts.put("0000:1d:00.0", Verdict.NotAssignable);          // CardBus card behind the PCI bridge
        verdicts.put("0000:1c:03.0", Verdict.NotAssignable);          // CardBus bridge
        assertVerdicts(m, verdicts);
        assertTrue(QemuReferenceTest.codes(m.get("0000:04:00.0")).contains(ReasonCode.LEGACY_ENDPOINT));
        assertTrue(QemuReferenceTest.codes(m.get("0000:1d:00.0")).contains(ReasonCode.BEHIND_PCI_BRIDGE));
        assertEquals(List.of("0000:04:00.0"), m.get("0000:14:00.0").mustMoveWith());
    }

    @Test
    void pciXBridgesAndDomains() throws IOException {
        // A PCI-X machine (IBM EADS-X bridges). The generic kernel rule is applied; POWER platforms form groups
        // per partitionable endpoint instead, so this checks the rule, not such a host's real groups.
        Map<String, DeviceReport> m = survey("PCI-X-bridges-and-domains");
        Set<List<String>> expected = Set.of(
                g("0000", "00:01.0"),                             // co-processor on the root bus
                g("0000", "00:03.0"),                             // ISA bridge
                // EADS-X bridges 02.x are functions of one slot without ACS; each aliases its whole subtree
                g("0001", "00:02.0", "00:02.2", "00:02.3", "00:02.4", "00:02.6", "01:01.0", "01:01.1", "21:01.0",
                        "41:01.0", "61:01.0", "62:00.0"),
                g("0002", "00:02.0", "00:02.2", "00:02.4", "00:02.6", "01:01.0", "41:01.0", "42:00.0", "42:01.0",
                        "42:02.0", "42:03.0"),
                g("0003", "00:02.0", "00:02.2", "00:02.6", "21:01.0"),
                g("0004", "00:02.0", "00:02.2", "00:02.6", "01:01.0"));
        assertEquals(expected, partition(m));
        for (DeviceReport d : m.values()) {
            // no PCI Express anywhere: nothing is assignable with Hyper-V
            assertEquals(Verdict.NotAssignable, d.target(Target.HYPERV).verdict(), d.device().address());
        }
        // VFIO: the lone NIC of domain 3 shares its group with bridges only, so it can go (with warnings)
        DeviceReport nic = m.get("0003:21:01.0");
        assertEquals(Verdict.AssignableWithWarnings, nic.target(Target.VFIO).verdict(), nic.reasons().toString());
        assertEquals(nic.target(Target.VFIO).verdict(), nic.verdict(), "a dump's headline is VFIO's");
        assertTrue(nic.reasons().stream().anyMatch(r -> r.code().equals(ReasonCode.BEHIND_PCI_BRIDGE)
                && r.severity() == Severity.WARNING && r.message().contains("VFIO can assign")), nic.reasons().toString());
        assertEquals(List.of(), m.get("0003:21:01.0").mustMoveWith());
    }
}
