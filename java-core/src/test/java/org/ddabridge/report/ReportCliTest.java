package org.ddabridge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} errors through the CLI: stable ids and exit codes, no half-written file. */
class ReportCliTest {
    @TempDir
    Path dir;

    static JsonObject error(String[] r) {
        return JsonParser.parseString(r[1]).getAsJsonObject().getAsJsonObject("error");
    }

    @Test
    void aMissingInputIsHostImageNotFound() {
        Path out = dir.resolve("r.html");
        String[] r = ReportChromiumTest.run("report", "--json", "--output", out.toString(), dir.resolve("nope.json").toString());
        assertEquals("3", r[0], r[1] + r[2]);
        assertEquals("HostImageNotFound", error(r).get("id").getAsString());
        assertTrue(!Files.exists(out));
    }

    @Test
    void aJsonFileThatIsNotASurveyIsSurveyInvalid() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"devices\": 3");
        Path notSurvey = Files.writeString(dir.resolve("other.json"), "{\"hello\": 1}");
        for (Path p : new Path[] {bad, notSurvey}) {
            String[] r = ReportChromiumTest.run("report", "--json", "-o", dir.resolve("r.html").toString(), p.toString());
            assertEquals("2", r[0], r[1] + r[2]);
            assertEquals("SurveyInvalid", error(r).get("id").getAsString());
            assertEquals(p.toString(), error(r).get("target").getAsString());
        }
        assertTrue(!Files.exists(dir.resolve("r.html")));
    }

    @Test
    void anOutputInAMissingFolderIsInvalidArgument() {
        String[] r = ReportChromiumTest.run("report", "--json", "-o", dir.resolve("no/such/r.html").toString(),
                ReportChromiumTest.FIXTURES.resolve("surveys/per-target.survey.json").toString());
        assertEquals("2", r[0], r[1] + r[2]);
        assertEquals("InvalidArgument", error(r).get("id").getAsString());
    }

    @Test
    void theSameHostTwiceGetsTwoNames() throws Exception {
        Path in = ReportChromiumTest.FIXTURES.resolve("surveys/per-target.survey.json");
        Path out = dir.resolve("twice.html");
        String[] r = ReportChromiumTest.run("report", "--json", "-o", out.toString(), in.toString(), in.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        String html = Files.readString(out);
        assertTrue(html.contains("data-host=\"gpu-node-7\"") && html.contains("data-host=\"gpu-node-7 #2\""));
    }
}
