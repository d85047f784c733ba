package org.ddabridge.assign.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.util.Json;

/**
 * A journal that can always be repaired: every kind of damage is reported as {@code JournalCorrupt} (the file
 * kept, never deleted), refused by every command until {@code repair}, and {@code repair} rebuilds it without
 * losing a held function's original driver; a journal that cannot be written mid-plan rolls the plan back.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JournalCorruptionTest {
    @TempDir
    Path tmp;
    private int treeNo;

    private FakeHost host() {
        return new FakeHost(tmp.resolve("t" + (treeNo++))).reference(true);
    }

    private static Path stateDir(FakeHost h) {
        return h.root.resolve("var/lib/ddabridge");
    }

    private static Map<String, Object> map(Object o) {
        return AssignServiceTest.map(o);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> poolDevices(FakeHost h) {
        return (List<Map<String, Object>>) map(AssignServiceTest.service(h).pool(AssignServiceTest.args("pool", h),
                Progress.NONE)).get("devices");
    }

    private static String originalDriver(FakeHost h, String address) {
        for (Map<String, Object> d : poolDevices(h)) {
            if (address.equals(d.get("address"))) {
                return (String) d.get("originalDriver");
            }
        }
        return "<not in pool>";
    }

    /** Each way a journal gets damaged, applied to the file's text. */
    private static Map<String, UnaryOperator<String>> damages() {
        Map<String, UnaryOperator<String>> m = new LinkedHashMap<>();
        m.put("truncated at 10%", s -> s.substring(0, s.length() / 10));
        m.put("truncated at 50%", s -> s.substring(0, s.length() / 2));
        m.put("truncated at 95%", s -> s.substring(0, s.length() * 95 / 100));
        m.put("empty", s -> "");
        m.put("garbage", s -> "\u0000\u0001garbage\uFFFD{{{\n");
        m.put("json null", s -> "null");
        m.put("array", s -> "[1,2,3]");
        m.put("pool null", s -> s.replaceFirst("\"pool\": \\{", "\"pool\": null, \"x\": {"));
        m.put("pool entry null", s -> s.replaceFirst("\"0000:01:00.0\": \\{", "\"0000:01:00.0\": null, \"y\": {"));
        m.put("devices null", s -> s.replaceFirst("\"devices\": \\[", "\"devices\": null, \"z\": ["));
        m.put("wrong type group", s -> s.replaceFirst("\"group\": 10", "\"group\": \"ten\""));
        m.put("wrong type pool", s -> s.replaceFirst("\"pool\": \\{", "\"pool\": [], \"x\": {"));
        m.put("wrong type version", s -> s.replaceFirst("\"version\": 1", "\"version\": {}"));
        m.put("bad address in pool", s -> s.replace("\"0000:01:00.0\": {", "\"../../../../x\": {"));
        m.put("bad address in steps", s -> s.replaceFirst("(\"action\": \"[a-z-]+\",\\s*\"address\": )\"0000:01:00.0\"",
                "$1\"../../x\""));
        m.put("bad driver name", s -> s.replace("\"originalDriver\": \"nvme\"", "\"originalDriver\": \"../../nvme\""));
        m.put("checksum mismatch", s -> s.replace("\"originalDriver\": \"nvme\"", "\"originalDriver\": \"e1000e\""));
        m.put("unknown status", s -> s.replaceFirst("\"status\": \"done\"", "\"status\": \"sleeping\""));
        return m;
    }

    @Test
    void everyKindOfDamageIsKeptReportedRefusedAndRepairedWithoutLosingTheOriginalDriver() throws Exception {
        for (Map.Entry<String, UnaryOperator<String>> d : damages().entrySet()) {
            String kind = d.getKey();
            FakeHost h = host();
            AssignServiceTest.service(h).dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.NVME),
                    Progress.NONE);
            assertEquals("nvme", originalDriver(h, FakeHost.NVME));
            Path f = stateDir(h).resolve(Journal.FILE);
            String damaged = d.getValue().apply(Files.readString(f));
            if (!kind.equals("checksum mismatch")) {
                // As an attacker would: a valid checksum over the damage, so the schema check has to catch it.
                damaged = resign(damaged);
            }
            assertFalse(damaged.equals(Files.readString(f)), kind + ": the damage must change the file");
            Files.writeString(f, damaged, StandardCharsets.UTF_8);

            EngineException pool = assertThrows(EngineException.class, () -> poolDevices(h), kind);
            assertEquals(ErrorId.JournalCorrupt, pool.id(), kind + ": " + pool.getMessage());
            Map<String, Object> det = map(pool.details());
            Path kept = Path.of((String) det.get("kept"));
            assertArrayEquals(damaged.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(kept), kind + ": kept as is");
            assertTrue(((String) det.get("remediation")).contains("repair"), kind);
            // Nothing runs on a journal that forgot what it held, not even once it was moved aside.
            EngineException dis = assertThrows(EngineException.class, () -> AssignServiceTest.service(h).dismount(
                    AssignServiceTest.args("dismount", h, "address", FakeHost.E1000E_0), Progress.NONE), kind);
            assertEquals(ErrorId.JournalCorrupt, dis.id(), kind + ": " + dis.getMessage());
            assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.NVME), kind);
            assertEquals("e1000e|", h.driverState().get(FakeHost.E1000E_0), kind);

            Map<String, Object> rep = map(AssignServiceTest.service(h).repair(AssignServiceTest.args("repair", h),
                    Progress.NONE));
            assertEquals(Boolean.TRUE, rep.get("repaired"), kind + ": " + rep);
            assertTrue(rep.containsKey("recovered"), kind);
            assertTrue(Files.exists(Path.of(kept + Journal.REPAIRED_SUFFIX)), kind + ": the kept copy stays");
            assertEquals("nvme", originalDriver(h, FakeHost.NVME), kind + ": the original driver is remembered");
            Map<String, Object> mount = map(AssignServiceTest.service(h).mount(AssignServiceTest.args("mount", h,
                    "address", FakeHost.NVME), Progress.NONE));
            assertEquals("done", mount.get("status"), kind);
            assertEquals("nvme|", h.driverState().get(FakeHost.NVME), kind);
        }
    }

    /** {@code text} with a correct checksum when it is a JSON object at all. */
    static String resign(String text) {
        try {
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(text).getAsJsonObject();
            o.remove(JournalCodec.CHECKSUM);
            o.addProperty(JournalCodec.CHECKSUM, JournalCodec.sha256(Json.compact().toJson(o)));
            return Json.pretty().toJson(o);
        } catch (RuntimeException e) {
            return text;
        }
    }

    @Test
    void bothCopiesTruncatedStillKeepEveryRecordBeforeTheCut() throws Exception {
        FakeHost h = host();
        AssignServiceTest.service(h).dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.NVME),
                Progress.NONE);
        Path f = stateDir(h).resolve(Journal.FILE);
        String text = Files.readString(f);
        // Cut just after the pool: the pool entry survives, the operation does not.
        int cut = text.indexOf("\"operation\": {");
        assertTrue(cut > 0, text);
        Files.writeString(f, text.substring(0, cut));
        Files.writeString(stateDir(h).resolve(Journal.MIRROR), "{\"trunc");
        Map<String, Object> rep = map(AssignServiceTest.service(h).repair(AssignServiceTest.args("repair", h),
                Progress.NONE));
        assertEquals(Boolean.TRUE, rep.get("repaired"), rep.toString());
        assertTrue(Json.compact().toJson(rep.get("recovered")).contains("pool entry 0000:01:00.0"), rep.toString());
        assertEquals("nvme", originalDriver(h, FakeHost.NVME));
    }

    @Test
    void bothCopiesDestroyedRepairSaysWhatItCouldNotRestore() throws Exception {
        FakeHost h = host();
        AssignServiceTest.service(h).dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.NVME),
                Progress.NONE);
        Files.writeString(stateDir(h).resolve(Journal.FILE), "garbage");
        Files.writeString(stateDir(h).resolve(Journal.MIRROR), "garbage too");
        Map<String, Object> rep = map(AssignServiceTest.service(h).repair(AssignServiceTest.args("repair", h),
                Progress.NONE));
        assertEquals(Boolean.TRUE, rep.get("repaired"));
        @SuppressWarnings("unchecked")
        List<String> lost = (List<String>) ((Map<String, Object>) rep.get("recovered")).get("notRestored");
        assertEquals(1, lost.size(), lost.toString());
        assertTrue(lost.get(0).startsWith(FakeHost.NVME) && lost.get(0).contains("unknown"), lost.toString());
        // The tree's actual state is still known: the function is held and listed as such.
        assertEquals(null, originalDriver(h, FakeHost.NVME));
        assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.NVME));
    }

    @Test
    void unfinishedOperationWithADamagedJournalIsStillUndoneByRepair() throws Exception {
        FakeHost h = host();
        Map<String, String> before = h.driverState();
        CrashHook crash = (step, phase) -> {
            if (step == 4 && phase == CrashHook.Phase.APPLIED) {
                throw new AssignServiceTest.SimulatedCrash("crash");
            }
        };
        assertThrows(AssignServiceTest.SimulatedCrash.class, () -> AssignServiceTest.service(h, c -> false, crash)
                .dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.E1000E_0), Progress.NONE));
        assertTrue(h.driverState().get(FakeHost.E1000E_0).startsWith("vfio-pci"), h.driverState().toString());
        Path f = stateDir(h).resolve(Journal.FILE);
        Files.writeString(f, Files.readString(f).substring(0, 300));
        Map<String, Object> rep = map(AssignServiceTest.service(h).repair(AssignServiceTest.args("repair", h),
                Progress.NONE));
        assertEquals(Boolean.TRUE, rep.get("repaired"), rep.toString());
        assertEquals(before, h.driverState());
    }

    @Test
    void journalThatIsAFifoOrALinkToDevZeroIsCorruptNotAHang() throws Exception {
        for (String kind : List.of("fifo", "devzero", "directory")) {
            FakeHost h = host();
            AssignServiceTest.service(h).dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.NVME),
                    Progress.NONE);
            Path f = stateDir(h).resolve(Journal.FILE);
            Files.delete(f);
            switch (kind) {
                case "fifo" -> assertEquals(0, new ProcessBuilder("mkfifo", f.toString()).start().waitFor());
                case "devzero" -> Files.createSymbolicLink(f, Path.of("/dev/zero"));
                default -> Files.createDirectory(f);
            }
            EngineException e = assertThrows(EngineException.class, () -> poolDevices(h), kind);
            assertEquals(ErrorId.JournalCorrupt, e.id(), kind);
            Map<String, Object> rep = map(AssignServiceTest.service(h).repair(AssignServiceTest.args("repair", h),
                    Progress.NONE));
            assertEquals(Boolean.TRUE, rep.get("repaired"), kind);
            assertEquals("nvme", originalDriver(h, FakeHost.NVME), kind);
        }
    }

    /**
     * The journal becomes unwritable in the middle of a plan (its temporary file turns into a directory, which
     * no save can open, root or not): the steps already done are rolled back and the error says to repair.
     */
    @Test
    void journalWriteFailureMidPlanRollsBack() throws IOException {
        for (int failAt = 0; failAt < 4; failAt++) {
            FakeHost h = host();
            Map<String, String> before = h.driverState();
            Path blocker = stateDir(h).resolve(Journal.FILE + ".tmp");
            int at = failAt;
            int[] seen = {0};
            Progress p = (activity, percent, status) -> {
                if (seen[0]++ == at) {
                    try {
                        Files.createDirectories(blocker);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            };
            EngineException e = assertThrows(EngineException.class, () -> AssignServiceTest.service(h).dismount(
                    AssignServiceTest.args("dismount", h, "address", FakeHost.E1000E_0), p), "at " + at);
            assertEquals(ErrorId.IoFailure, e.id());
            Map<String, Object> d = map(e.details());
            assertEquals("JournalWriteFailed", d.get("reason"), "at " + at + ": " + e.getMessage());
            assertEquals("rolledBack", d.get("rollback"), "at " + at + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("repair"), e.getMessage());
            assertEquals(before, h.driverState(), "at " + at + ": rolled back");
            Files.delete(blocker);
            // The journal on disk still shows the operation unfinished: repair is asked for and finds all restored.
            assertEquals(Boolean.TRUE, map(AssignServiceTest.service(h).pool(AssignServiceTest.args("pool", h),
                    Progress.NONE)).get("repairNeeded"), "at " + at);
            assertEquals(Boolean.TRUE, map(AssignServiceTest.service(h).repair(AssignServiceTest.args("repair", h),
                    Progress.NONE)).get("repaired"));
            assertEquals(before, h.driverState());
            assertEquals("done", map(AssignServiceTest.service(h).dismount(AssignServiceTest.args("dismount", h,
                    "address", FakeHost.E1000E_0), Progress.NONE)).get("status"));
        }
    }

    @Test
    void journalWithoutChecksumFromAnEarlierVersionStillLoads() throws Exception {
        FakeHost h = host();
        AssignServiceTest.service(h).dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.NVME),
                Progress.NONE);
        Path f = stateDir(h).resolve(Journal.FILE);
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(f)).getAsJsonObject();
        o.remove(JournalCodec.CHECKSUM);
        Files.writeString(f, Json.pretty().toJson(o));
        assertEquals("nvme", originalDriver(h, FakeHost.NVME));
    }
}
