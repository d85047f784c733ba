package org.ddabridge.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;

import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.Target;
import org.ddabridge.check.TargetVerdict;
import org.ddabridge.platform.Platforms;
import org.ddabridge.util.Json;

/**
 * The survey's streamed JSON ({@link SurveyReport}'s writer: field by field, repeated parts from their first
 * rendering) against the document Gson builds generically from the same report (each device's record as a
 * tree, the report's parts added beside it), byte for byte, compact and indented, on the fixture hosts.
 */
class SurveyJsonWriterTest {
    private static final Path FIXTURES = Path.of(System.getProperty("ddabridge.repo", ".."), "tests/fixtures");

    static List<String> roots() {
        return List.of(FIXTURES.resolve("hosts/qemu-reference.tar.gz").toString(),
                FIXTURES.resolve("hosts/qemu-noacs.tar.gz").toString(),
                FIXTURES.resolve("hosts/qemu-amd.tar.gz").toString(),
                FIXTURES.resolve("windows/workstation-pch-gpu.windows.json").toString(),
                FIXTURES.resolve("windows/usb-rmrr.windows.json").toString());
    }

    /** The survey document built as one tree through Gson's reflection: the oracle. */
    private static JsonObject tree(Gson gson, SurveyReport r) {
        JsonObject o = new JsonObject();
        JsonObject host = gson.toJsonTree(r.hostFacts()).getAsJsonObject();
        host.add("checks", gson.toJsonTree(r.checks()));
        o.add("host", host);
        o.add("target", gson.toJsonTree(r.target()));
        JsonArray devices = new JsonArray();
        for (DeviceReport d : r.reports()) {
            JsonObject x = gson.toJsonTree(d.device()).getAsJsonObject();
            x.addProperty("verdict", d.verdict().name());
            x.add("reasons", gson.toJsonTree(d.reasons()));
            JsonObject targets = new JsonObject();
            for (Target t : Target.values()) {
                TargetVerdict v = d.target(t);
                JsonObject tv = new JsonObject();
                tv.addProperty("verdict", v.verdict().name());
                tv.add("reasons", gson.toJsonTree(v.reasons()));
                targets.add(t.id(), tv);
            }
            x.add("targets", targets);
            x.add("predictedIommuGroup", gson.toJsonTree(d.predictedIommuGroup()));
            x.add("mustMoveWith", gson.toJsonTree(d.mustMoveWith()));
            x.add("mmio", d.mmio() == null ? JsonNull.INSTANCE : gson.toJsonTree(d.mmio()));
            devices.add(x);
        }
        o.add("devices", devices);
        o.add("summary", gson.toJsonTree(r.summary()));
        o.add("findings", gson.toJsonTree(r.findings()));
        return o;
    }

    @Test
    void streamedSurveyIsTheGenericDocumentByteForByte() {
        int devices = 0;
        int mates = 0;
        for (String root : roots()) {
            assertTrue(Files.exists(Path.of(root)), "fixture missing: " + root);
            SurveyReport r = Survey.ofHost(Platforms.forRoot(root), l -> l);
            for (Gson gson : List.of(Json.compact(), Json.pretty())) {
                assertEquals(gson.toJson(tree(gson, r)), gson.toJson(r), root);
            }
            // Into a tree too (toJson() of the report, what text output and tests read).
            assertEquals(tree(Json.compact(), r), r.toJson(), root);
            devices += r.reports().size();
            mates += (int) r.reports().stream().filter(d -> !d.mustMoveWith().isEmpty()).count();
        }
        // The fixtures exercise what the writer treats specially: many devices, and group mates.
        assertTrue(devices > 50 && mates > 0, devices + " devices, " + mates + " with group mates");
    }

    /**
     * A host of more devices than one of the checker's chunks (judged a chunk at a time as they are written)
     * against the same oracle: every device in its place, group mates and repeated reasons included.
     */
    @Test
    void aSurveyOfSeveralChunksIsTheGenericDocumentByteForByte(@org.junit.jupiter.api.io.TempDir Path dir) {
        org.ddabridge.testing.FakeSysfs fs = new org.ddabridge.testing.FakeSysfs(dir);
        int n = 0;
        for (int bus = 1; bus <= 24; bus++) {
            for (int fn = 0; fn < 32 && n < org.ddabridge.check.Checker.Reports.CHUNK + 200; fn++, n++) {
                String address = String.format("0000:%02x:%02x.%d", bus, fn / 8, fn % 8);
                // Pairs share a group (mates), every third has a driver, BARs of a few sizes.
                fs.function(address).ids(0x8086, 0x1500 + bus).classCode(fn % 5 == 0 ? 0x010802 : 0x020000)
                        .group(n / 2).driver(fn % 3 == 0 ? "igb" : null)
                        .resource(String.format("0x%x 0x%x 0x40200", 0xf0000000L + n * 0x100000L,
                                0xf0000000L + n * 0x100000L + (0x1000L << (fn % 6)) - 1))
                        .add();
            }
        }
        SurveyReport r = Survey.ofHost(Platforms.forRoot(dir.toString()), l -> l);
        assertTrue(r.reports().size() > org.ddabridge.check.Checker.Reports.CHUNK, r.reports().size() + " devices");
        // Written first, the summary is the writer's own count of the verdicts it wrote (no second judging).
        String written = Json.compact().toJson(r);
        assertSummaryCountsTheDevices(written);
        assertEquals(Json.compact().toJson(tree(Json.compact(), r)), written);
        assertEquals(Json.pretty().toJson(tree(Json.pretty(), r)), Json.pretty().toJson(r));
    }

    /** The document's summary holds every verdict, and each count is that of the devices written with it. */
    static void assertSummaryCountsTheDevices(String json) {
        JsonObject doc = JsonParser.parseString(json).getAsJsonObject();
        java.util.Map<String, Integer> counted = new java.util.LinkedHashMap<>();
        for (org.ddabridge.check.Verdict v : org.ddabridge.check.Verdict.values()) {
            counted.put(v.name(), 0);
        }
        for (JsonElement d : doc.getAsJsonArray("devices")) {
            counted.merge(d.getAsJsonObject().get("verdict").getAsString(), 1, Integer::sum);
        }
        JsonObject summary = doc.getAsJsonObject("summary");
        assertEquals(counted.keySet(), summary.keySet());
        counted.forEach((k, n) -> assertEquals(n.intValue(), summary.get(k).getAsInt(), k));
    }

    @Test
    void aSurveyWrittenBeforeItsSummaryWasAskedForCountsWhatItWrote() {
        for (String root : roots()) {
            for (com.google.gson.Gson gson : List.of(Json.compact(), Json.pretty())) {
                assertSummaryCountsTheDevices(gson.toJson(Survey.ofHost(Platforms.forRoot(root), l -> l)));
            }
        }
    }

    @Test
    void aStringThatNeedsEscapingIsNeverWrittenRaw() {
        assertEquals("[\"0000:00:01.0\",\"a b\"]", SurveyReport.DeviceWriter.plainArray(List.of("0000:00:01.0", "a b")));
        assertEquals("[]", SurveyReport.DeviceWriter.plainArray(List.of()));
        for (String bad : List.of("a\"b", "a\\b", "a\nb", "\u2028", "é")) {
            assertNull(SurveyReport.DeviceWriter.plainArray(List.of("x", bad)), bad);
        }
        // Gson's own rendering of those, which the writer falls back to, parses back to the same strings.
        JsonElement back = JsonParser.parseString(Json.compact().toJson(List.of("a\"b", "\u2028")));
        assertEquals("a\"b", back.getAsJsonArray().get(0).getAsString());
    }
}
