package org.ddabridge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;

/** Parsing saved surveys (tests/fixtures/surveys) into the report's views. */
class SurveyParserTest {
    static JsonObject fixture(String name) throws Exception {
        Path p = ReportChromiumTest.FIXTURES.resolve("surveys").resolve(name);
        return JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    static FunctionView fn(HostView h, String address) {
        return h.functions().stream().filter(f -> f.address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void perTargetVerdictsAreReadInBothShapes() throws Exception {
        HostView h = SurveyParser.parse(fixture("per-target.survey.json"), "file-name", "per-target.survey.json");
        assertEquals("gpu-node-7", h.name());
        assertEquals(List.of("hyperv", "vfio"), h.targets());
        FunctionView gpu = fn(h, "0000:01:00.0");
        assertEquals("AssignableWithWarnings", gpu.verdict());
        assertEquals("NotAssignable", gpu.verdictFor("hyperv")); // a plain verdict name
        assertEquals("Assignable", gpu.verdictFor("vfio")); // an object with "verdict"
        assertEquals("AssignableWithWarnings", gpu.verdictFor(null));
        assertEquals(16777216L, gpu.mmioBelow());
        assertEquals(301989888L, gpu.mmioAbove());
        assertEquals("0000:00:01.0", gpu.parent());
        assertEquals("RootPort", fn(h, "0000:00:01.0").portType());
        assertEquals("fail", h.readiness());
        assertEquals(1, h.count("NotAssignable", null));
        assertEquals(2, h.count("NotAssignable", "hyperv"));
    }

    @Test
    void aDumpSurveyIsNamedByItsFileAndHasPredictedGroupsOnly() throws Exception {
        HostView h = SurveyParser.parse(fixture("tree-asus-p6t6.survey.json"), "tree-asus-p6t6", "x");
        assertEquals("tree-asus-p6t6", h.name());
        assertEquals("dump", h.platform());
        assertEquals(53, h.functions().size());
        assertEquals(List.of(), h.targets());
        assertEquals("unknown", h.readiness());
        FunctionView nic = fn(h, "0000:07:00.0");
        assertNull(nic.iommuGroup());
        assertEquals("~0000:00:1c.0", nic.groupKey());
        assertEquals("~5 fn", nic.groupLabel());
        assertEquals(nic.verdict(), nic.verdictFor("vfio"));
    }

    @Test
    void theBareResultAndAComputerNameAreAccepted() throws Exception {
        JsonObject doc = fixture("per-target.survey.json").getAsJsonObject("result");
        doc.addProperty("computerName", "hv-node-2");
        assertEquals("hv-node-2", SurveyParser.parse(doc, "f", "x").name());
        doc.getAsJsonObject("host").addProperty("hostname", "(none)");
        doc.remove("computerName");
        assertEquals("f", SurveyParser.parse(doc, "f", "x").name());
    }

    @Test
    void whatIsNotASurveyIsSurveyInvalid() {
        for (String bad : List.of("{}", "{\"host\":{}}", "{\"schemaVersion\":1,\"ok\":false,\"error\":{}}",
                "{\"host\":{},\"devices\":[{\"verdict\":\"Assignable\"}]}")) {
            EngineException e = assertThrows(EngineException.class,
                    () -> SurveyParser.parse(JsonParser.parseString(bad).getAsJsonObject(), "f", "in.json"), bad);
            assertEquals(ErrorId.SurveyInvalid, e.id(), bad);
            assertEquals("in.json", e.target());
        }
    }
}
