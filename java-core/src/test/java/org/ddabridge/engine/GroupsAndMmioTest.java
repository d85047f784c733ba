package org.ddabridge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.util.Json;
/** {@code groups} and {@code mmio} on the host images captured in the QEMU guest. */
class GroupsAndMmioTest {
    private static final String IMAGE = Path.of(System.getProperty("ddabridge.repo", ".."),
            "tests/fixtures/hosts/qemu-reference.tar.gz").toString();
    private static final String NOACS = Path.of(System.getProperty("ddabridge.repo", ".."),
            "tests/fixtures/hosts/qemu-noacs.tar.gz").toString();

    private static JsonObject args(String root, Object... kv) {
        JsonObject o = new JsonObject();
        o.addProperty("root", root);
        for (int i = 0; i < kv.length; i += 2) {
            JsonArray a = new JsonArray();
            for (Object v : (List<?>) kv[i + 1]) {
                a.add(v.toString());
            }
            o.add((String) kv[i], a);
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static <T> T run(String command, JsonObject args) {
        Object r = new Engine().execute(command, args, Progress.NONE);
        return (T) Json.compact().fromJson(Json.compact().toJson(r), Object.class);
    }

    @Test
    void everyLiveGroupIsListedWithItsPrediction() {
        List<Map<String, Object>> groups = run("groups", args(IMAGE));
        assertEquals(16, groups.size());
        for (Map<String, Object> g : groups) {
            assertEquals("live", g.get("source"));
            assertEquals(Boolean.TRUE, g.get("matchesPrediction"), "group " + g.get("group"));
        }
        Map<String, Object> nvme = groups.stream().filter(g -> ((Double) g.get("group")) == 11).findFirst().get();
        assertEquals(Boolean.TRUE, nvme.get("assignable"));
        assertEquals(Boolean.FALSE, nvme.get("viable")); // nvme is bound: VFIO would not take the group yet
        assertEquals(List.of("0000:01:00.0 (nvme)"), nvme.get("hostDrivers"));
    }

    @Test
    void selectionByAddressAndNumber() {
        List<Map<String, Object>> byAddress = run("groups", args(IMAGE, "address", List.of("0000:06:02.0")));
        assertEquals(1, byAddress.size());
        assertEquals(15.0, byAddress.get(0).get("group"));
        assertEquals(3, ((List<?>) byAddress.get(0).get("members")).size());
        assertEquals(Boolean.FALSE, byAddress.get(0).get("assignable"));
        List<Map<String, Object>> byNumber = run("groups", args(IMAGE, "group", List.of("15")));
        assertEquals(byAddress, byNumber);
        EngineException e = assertThrows(EngineException.class, () -> run("groups", args(IMAGE, "group", List.of("99"))));
        assertEquals(ErrorId.DeviceNotFound, e.id());
    }

    @Test
    void noAcsHostGroupsMatchTheirPrediction() {
        List<Map<String, Object>> groups = run("groups", args(NOACS));
        assertEquals(9, groups.size());
        for (Map<String, Object> g : groups) {
            assertEquals("live", g.get("source"), "group " + g.get("group"));
            // A missing verdict is a failure too: every live group of the image must have been predicted.
            assertEquals(Boolean.TRUE, g.get("matchesPrediction"), "group " + g.get("group"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void mmioAddsTheDevicesOfOneVm() {
        Map<String, Object> r = run("mmio", args(IMAGE, "address", List.of("0000:01:00.0", "0000:02:00.0", "0000:03:00.0")));
        assertEquals(3, ((List<?>) r.get("devices")).size());
        assertEquals(32768.0, r.get("aboveFourGiB")); // two 16 KiB 64-bit NVMe BARs
        assertTrue((Double) r.get("belowFourGiB") > 0); // the e1000e's 32-bit BARs
        Map<String, Object> hv = (Map<String, Object>) r.get("hyperV");
        assertEquals((double) (128L << 20), hv.get("lowMemoryMappedIoSpace"));
        assertEquals((double) (512L << 20), hv.get("highMemoryMappedIoSpace"));
        assertEquals("Set-VM -VMName <vm> -LowMemoryMappedIoSpace 128MB -HighMemoryMappedIoSpace 512MB", hv.get("command"));
        Map<String, Object> q = (Map<String, Object>) r.get("qemu");
        assertEquals(Boolean.FALSE, q.get("needed"));
        assertEquals("-global q35-pcihost.pci-hole64-size=1G", q.get("argument"));
    }

    @Test
    void mmioNeedsDevicesAndFormatsSizes() {
        EngineException e = assertThrows(EngineException.class, () -> run("mmio", args(IMAGE)));
        assertEquals(ErrorId.InvalidArgument, e.id());
        assertEquals("33280MB", org.ddabridge.check.MmioRequirement.mb(33280L << 20));
        assertEquals("64G", org.ddabridge.check.MmioRequirement.qemuSize(64L << 30));
    }
}
