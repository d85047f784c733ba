package org.ddabridge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;

import org.ddabridge.api.Progress;
import org.ddabridge.util.Json;

/**
 * The engine on the host image captured in the QEMU guest with an emulated AMD IOMMU
 * ({@code tests/fixtures/hosts/qemu-amd.tar.gz}, see SOURCES.md there): the kernel's truth recorded in the image
 * (IVRS and no DMAR, its groups, IR- interrupt chips) against the survey's host checks and predicted groups.
 */
class QemuAmdImageTest {
    private static final Path IMAGE = Path.of(System.getProperty("ddabridge.repo", ".."),
            "tests/fixtures/hosts/qemu-amd.tar.gz");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> survey() {
        assertTrue(Files.isRegularFile(IMAGE), "fixture missing: " + IMAGE);
        JsonObject args = new JsonObject();
        args.addProperty("root", IMAGE.toString());
        Object r = new Engine().execute("survey", args, Progress.NONE);
        return (Map<String, Object>) Json.compact().fromJson(Json.compact().toJson(r), Object.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    @Test
    @SuppressWarnings("unchecked")
    void hostChecksSeeTheAmdIommuOnWithRemapping() {
        Map<String, Object> host = (Map<String, Object>) survey().get("host");
        assertEquals(List.of("IVRS"), host.get("acpiTables"));
        Map<String, String> status = new TreeMap<>();
        Map<String, String> message = new TreeMap<>();
        for (Map<String, Object> c : list(host, "checks")) {
            status.put((String) c.get("id"), (String) c.get("status"));
            message.put((String) c.get("id"), (String) c.get("message"));
        }
        assertEquals("pass", status.get("IommuPresent"), message.get("IommuPresent"));
        assertTrue(message.get("IommuPresent").contains("AMD-Vi"), message.get("IommuPresent"));
        assertEquals("pass", status.get("IommuEnabled"), message.get("IommuEnabled"));
        assertEquals("pass", status.get("InterruptRemapping"), message.get("InterruptRemapping"));
    }

    /**
     * Every function the kernel grouped has the kernel's group as its prediction. The kernel leaves exactly one
     * function ungrouped, the IOMMU's own (class 0806), and the prediction leaves it ungrouped too.
     */
    @Test
    void predictedGroupsAreTheKernelsGroups() {
        List<Map<String, Object>> devices = list(survey(), "devices");
        Map<Integer, List<String>> live = new TreeMap<>();
        List<String> ungrouped = new ArrayList<>();
        for (Map<String, Object> d : devices) {
            Object g = d.get("iommuGroup");
            if (g == null) {
                ungrouped.add(d.get("address") + " " + d.get("classCode"));
            } else {
                live.computeIfAbsent(((Number) g).intValue(), k -> new ArrayList<>()).add((String) d.get("address"));
            }
        }
        assertEquals(List.of("0000:00:01.0 080600"), ungrouped);
        assertEquals(22, devices.size());
        List<String> bad = new ArrayList<>();
        for (Map<String, Object> d : devices) {
            Object g = d.get("iommuGroup");
            if (g == null) {
                if (!List.of().equals(d.get("predictedIommuGroup"))) {
                    bad.add(d.get("address") + ": kernel none, predicted " + d.get("predictedIommuGroup"));
                }
                continue;
            }
            List<String> members = live.get(((Number) g).intValue()).stream().sorted().toList();
            if (!members.equals(d.get("predictedIommuGroup"))) {
                bad.add(d.get("address") + ": kernel " + members + ", predicted " + d.get("predictedIommuGroup"));
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
        assertFalse(live.isEmpty());
    }

    /** The kernel gives the IOMMU's own function no group, and vfio-pci binds nothing without one. */
    @Test
    void theIommuFunctionIsNotAssignableUnderVfio() {
        Map<String, Object> iommu = list(survey(), "devices").stream()
                .filter(d -> "0000:00:01.0".equals(d.get("address"))).findFirst().orElseThrow();
        assertEquals("NotAssignable", iommu.get("verdict"), String.valueOf(iommu.get("reasons")));
        assertTrue(String.valueOf(iommu.get("reasons")).contains("IommuGroupNone"), String.valueOf(iommu.get("reasons")));
        Map<?, ?> hyperv = (Map<?, ?>) ((Map<?, ?>) iommu.get("targets")).get("hyperv");
        assertFalse(String.valueOf(hyperv.get("reasons")).contains("IommuGroupNone"), "Hyper-V: silent");
    }
}
