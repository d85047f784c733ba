package org.ddabridge.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.survey.Survey;
import org.ddabridge.survey.SurveyReport;
import org.ddabridge.testing.FakeSysfs;
import org.ddabridge.testing.QemuReferenceHost;
/**
 * The checker on a fake tree reproducing the QEMU guest of research/qemu-e2e.md: predicted IOMMU groups
 * must equal the groups the real kernel formed there, and verdicts follow the rules.
 */
class QemuReferenceTest {
    @TempDir
    Path dir;

    private SurveyReport survey(FakeSysfs fs) {
        return Survey.ofHost(new LinuxPlatform(fs.hostRoot()), l -> l);
    }

    private static Map<String, DeviceReport> byAddress(SurveyReport r) {
        Map<String, DeviceReport> m = new TreeMap<>();
        for (DeviceReport d : r.reports()) {
            m.put(d.device().address(), d);
        }
        return m;
    }

    /** The live groups as a partition: every set of members. */
    private static Set<List<String>> liveGroups(SurveyReport r) {
        Map<Integer, List<String>> g = new TreeMap<>();
        for (DeviceReport d : r.reports()) {
            g.computeIfAbsent(d.device().iommuGroup(), k -> new java.util.ArrayList<>()).add(d.device().address());
        }
        return g.values().stream().map(l -> l.stream().sorted().toList()).collect(Collectors.toSet());
    }

    private static final String REFERENCE_IMAGE = Path.of(System.getProperty("ddabridge.repo", ".."),
            "tests/fixtures/hosts/qemu-reference.tar.gz").toString();
    private static final String NOACS_IMAGE = Path.of(System.getProperty("ddabridge.repo", ".."),
            "tests/fixtures/hosts/qemu-noacs.tar.gz").toString();
    /** The virtio functions: of the fake tree (00:01/07/08.0) and of the captured guest (00:10-13.0). */
    private static final Set<String> VIRTIO = Set.of("0000:00:01.0", "0000:00:07.0", "0000:00:08.0",
            "0000:00:10.0", "0000:00:11.0", "0000:00:12.0", "0000:00:13.0");

    /**
     * The kernel's groups in a captured image: the links in sys/kernel/iommu_groups/N/devices/, unpacked with GNU
     * tar and read with java.nio (none of the engine's code is involved).
     */
    static Set<List<String>> kernelGroups(String image, Path dir, int count) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-xzf", image, "-C", dir.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor(), "tar -xzf " + image);
        Set<List<String>> out = new java.util.HashSet<>();
        try (Stream<Path> groups = Files.list(dir.resolve("sys/kernel/iommu_groups"))) {
            for (Path g : groups.toList()) {
                List<String> members;
                try (Stream<Path> m = Files.list(g.resolve("devices"))) {
                    members = m.map(p -> p.getFileName().toString()).sorted().toList();
                }
                assertFalse(members.isEmpty(), g + " of " + image);
                for (String m : members) {
                    // The virtio set below is checked against the image, not assumed.
                    String vendor = Files.readString(dir.resolve("sys/bus/pci/devices/" + m + "/vendor")).strip();
                    assertEquals(VIRTIO.contains(m), vendor.equals("0x1af4"), m + " vendor " + vendor);
                }
                out.add(members);
            }
        }
        assertEquals(count, out.size(), "groups in " + image);
        return out;
    }

    /**
     * A partition without its virtio functions, each asserted to be alone in its group. The captured guest had
     * four virtio devices at other slots than the three of research/qemu-e2e.md's guest (the fake tree); the rest
     * of the machine is the same.
     */
    private static Set<List<String>> withoutVirtio(Set<List<String>> groups) {
        Set<List<String>> out = new java.util.HashSet<>();
        for (List<String> g : groups) {
            if (g.stream().anyMatch(VIRTIO::contains)) {
                assertEquals(1, g.size(), "a virtio function shares its group: " + g);
            } else {
                out.add(g);
            }
        }
        return out;
    }

    private static Set<List<String>> predictedGroups(SurveyReport r) {
        return r.reports().stream().map(DeviceReport::predictedIommuGroup).collect(Collectors.toSet());
    }

    @Test
    void predictedGroupsEqualTheKernelGroupsOfTheReferenceGuest(@TempDir Path image) throws Exception {
        SurveyReport r = survey(QemuReferenceHost.build(dir, false));
        assertEquals(20, r.reports().size(), "15 groups over 20 functions");
        // Ground truth from qemu-e2e.md, "IOMMU groups".
        Set<List<String>> expected = Set.of(
                List.of("0000:00:00.0"), List.of("0000:00:01.0"), List.of("0000:00:07.0"), List.of("0000:00:08.0"),
                List.of("0000:00:02.0"), List.of("0000:00:03.0"), List.of("0000:00:04.0"), List.of("0000:00:05.0"),
                List.of("0000:00:06.0"),
                List.of("0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.3"),
                List.of("0000:01:00.0"), List.of("0000:02:00.0"),
                List.of("0000:03:00.0", "0000:03:00.1"),
                List.of("0000:04:00.0"),
                List.of("0000:05:00.0", "0000:06:01.0", "0000:06:02.0"));
        // Independent truth: the groups the kernel itself formed, read from the image captured in the guest.
        Set<List<String>> kernel = kernelGroups(REFERENCE_IMAGE, image, 16);
        assertEquals(withoutVirtio(kernel), withoutVirtio(liveGroups(r)), "fake tree reproduces the kernel's groups");
        assertEquals(withoutVirtio(kernel), withoutVirtio(expected), "qemu-e2e.md's groups are the kernel's");
        assertEquals(expected, predictedGroups(r));
        for (DeviceReport d : r.reports()) {
            assertFalse(d.reasons().stream().anyMatch(x -> x.code().equals(ReasonCode.IOMMU_GROUP_PREDICTION_DIFFERS)),
                    d.device().address());
        }
    }

    @Test
    void noAcsVariantMergesBothRootPortsAndTheirNvmes(@TempDir Path image) throws Exception {
        SurveyReport r = survey(QemuReferenceHost.build(dir, true));
        List<String> merged = List.of("0000:00:02.0", "0000:00:02.1", "0000:01:00.0", "0000:02:00.0");
        assertTrue(kernelGroups(NOACS_IMAGE, image, 9).contains(merged), "the kernel's group in qemu-noacs.tar.gz");
        assertTrue(liveGroups(r).contains(merged));
        assertEquals(merged, byAddress(r).get("0000:01:00.0").predictedIommuGroup());
        DeviceReport nvme = byAddress(r).get("0000:01:00.0");
        assertEquals(List.of("0000:02:00.0"), nvme.mustMoveWith());
        assertTrue(nvme.reasons().stream().anyMatch(x -> x.code().equals(ReasonCode.ACS_PATH_MISSING)));
        assertEquals(Verdict.NotAssignable, nvme.target(Target.HYPERV).verdict(), "Hyper-V needs ACS");
        // VFIO takes the merged group as a whole: a warning (the other NVMe moves along), not a refusal
        assertEquals(Verdict.AssignableWithWarnings, nvme.verdict(), nvme.reasons().toString());
        assertTrue(nvme.reasons().stream().anyMatch(x -> x.code().equals(ReasonCode.IOMMU_GROUP_SHARED)));
    }

    @Test
    void verdictsOfTheReferenceGuest() {
        FakeSysfs fs = QemuReferenceHost.build(dir, false);
        // The host uses the first NVMe for /data and routes through the single e1000e.
        fs.link("sys/block/nvme0n1", "../" + fs.deviceDir("0000:01:00.0").substring(4) + "/nvme/nvme0/nvme0n1");
        fs.dir(fs.deviceDir("0000:01:00.0") + "/nvme/nvme0/nvme0n1/nvme0n1p1");
        fs.file("proc/mounts", "/dev/nvme0n1p1 /data ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n");
        fs.link("sys/class/net/eth0", "../../" + fs.deviceDir("0000:04:00.0").substring(4) + "/net/eth0");
        fs.file("proc/net/route", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n"
                + "eth0\t00000000\t0202000A\t0003\t0\t0\t100\t00000000\n");
        Map<String, DeviceReport> d = byAddress(survey(fs));
        // address -> expected headline (VFIO, the IOMMU is on), with the rule that decides it
        Map<String, Verdict> expected = new TreeMap<>(Map.of(
                // endpoint behind an ACS root port, MSI-X, FLR, alone: clean
                "0000:02:00.0", Verdict.Assignable,
                // same, but the host mounts /data from it
                "0000:01:00.0", Verdict.NotAssignable,
                // multifunction pair without ACS: must move together (warning)
                "0000:03:00.0", Verdict.AssignableWithWarnings,
                // the host's default route
                "0000:04:00.0", Verdict.NotAssignable,
                // pcie-pci-bridge: bridges are never assignable
                "0000:05:00.0", Verdict.NotAssignable,
                // conventional ne2k behind the PCIe-to-PCI bridge, INTx only: VFIO takes it with its bus mate
                "0000:06:01.0", Verdict.AssignableWithWarnings,
                // AHCI shares its group with the LPC bridge
                "0000:00:1f.2", Verdict.NotAssignable,
                // the LPC bridge itself, which is why its group mates are refused
                "0000:00:1f.0", Verdict.NotAssignable,
                // a root port
                "0000:00:02.0", Verdict.NotAssignable));
        expected.forEach((a, v) -> assertEquals(v, d.get(a).verdict(), a + " " + d.get(a).reasons()));
        // Hyper-V's rules refuse the ne2k (behind a PCIe-to-PCI bridge) and the multifunction pair keeps its warning
        assertEquals(Verdict.NotAssignable, d.get("0000:06:01.0").target(Target.HYPERV).verdict());
        assertEquals(Verdict.AssignableWithWarnings, d.get("0000:03:00.0").target(Target.HYPERV).verdict());
        assertTrue(codes(d.get("0000:01:00.0")).contains(ReasonCode.HOST_STORAGE));
        assertTrue(codes(d.get("0000:04:00.0")).contains(ReasonCode.HOST_NETWORK));
        assertEquals(List.of("0000:03:00.1"), d.get("0000:03:00.0").mustMoveWith());
        assertTrue(codes(d.get("0000:03:00.0")).contains(ReasonCode.IOMMU_GROUP_SHARED));
        Set<String> ne2k = codes(d.get("0000:06:01.0"));
        assertTrue(ne2k.containsAll(Set.of(ReasonCode.BEHIND_PCI_BRIDGE, ReasonCode.IOMMU_GROUP_SHARED,
                ReasonCode.LINE_INTERRUPTS_ONLY, ReasonCode.ACS_PATH_MISSING, ReasonCode.BUS_RESET_SHARED)),
                ne2k.toString());
        assertEquals(List.of("0000:06:02.0"), d.get("0000:06:01.0").mustMoveWith());
        assertTrue(codes(d.get("0000:06:02.0")).contains(ReasonCode.NO_RESET), "no reset_method file, shared bus");
        assertTrue(codes(d.get("0000:00:1f.2")).contains(ReasonCode.IOMMU_GROUP_HOST_CRITICAL));
        assertTrue(codes(d.get("0000:00:1f.0")).contains(ReasonCode.IOMMU_GROUP_HOST_CRITICAL));
        assertEquals(Verdict.NotAssignable, d.get("0000:00:1f.0").target(Target.VFIO).verdict());
        assertEquals(0x4000, d.get("0000:02:00.0").mmio().aboveFourGiB());
        assertEquals(0x20000 + 0x20000 + 0x4000, d.get("0000:03:00.0").mmio().belowFourGiB());
    }

    @Test
    void hostChecksOfTheReferenceGuest() {
        SurveyReport r = survey(QemuReferenceHost.build(dir, false));
        Map<String, CheckStatus> s = new TreeMap<>();
        r.checks().forEach(c -> s.put(c.id(), c.status()));
        assertEquals(Map.of("IommuPresent", CheckStatus.PASS, "IommuEnabled", CheckStatus.PASS,
                "InterruptRemapping", CheckStatus.PASS, "VfioAvailable", CheckStatus.PASS,
                "Nested", CheckStatus.WARN, "IommuMode", CheckStatus.PASS, "BootPersistence", CheckStatus.PASS), s);
        HostCheck ir = r.checks().stream().filter(c -> c.id().equals("InterruptRemapping")).findFirst().orElseThrow();
        assertTrue(ir.evidence().contains(
                new Evidence("sys/firmware/acpi/tables/DMAR", "flags=0x01 (INTR_REMAP set)")));
    }

    @Test
    void jsonKeepsDeviceFieldsFlatAndAddsVerdicts() {
        JsonObject j = survey(QemuReferenceHost.build(dir, false)).toJson();
        JsonObject host = j.getAsJsonObject("host");
        assertEquals("linux", host.get("platform").getAsString());
        assertEquals(7, host.getAsJsonArray("checks").size(), "six IOMMU/VFIO checks and BootPersistence");
        assertEquals("pass", host.getAsJsonArray("checks").get(0).getAsJsonObject().get("status").getAsString());
        JsonObject dev = j.getAsJsonArray("devices").get(0).getAsJsonObject();
        for (String k : List.of("address", "locationPath", "instanceId", "vendorId", "iommuGroup", "bars", "verdict",
                "reasons", "targets", "predictedIommuGroup", "mustMoveWith", "mmio")) {
            assertTrue(dev.has(k), k);
        }
        assertEquals("vfio", j.get("target").getAsString(), "a Linux host's headline is VFIO's");
        for (String t : List.of("hyperv", "vfio")) {
            JsonObject tv = dev.getAsJsonObject("targets").getAsJsonObject(t);
            assertTrue(Set.of("Assignable", "AssignableWithWarnings", "NotAssignable")
                    .contains(tv.get("verdict").getAsString()), t);
            assertTrue(tv.get("reasons").isJsonArray(), t);
        }
        JsonObject reason = dev.getAsJsonArray("reasons").get(0).getAsJsonObject();
        assertTrue(Set.of("info", "warning", "error").contains(reason.get("severity").getAsString()));
        assertEquals(20, j.getAsJsonObject("summary").entrySet().stream().mapToInt(e -> e.getValue().getAsInt()).sum());
    }

    static Set<String> codes(DeviceReport d) {
        return d.reasons().stream().map(Reason::code).collect(Collectors.toSet());
    }
}
