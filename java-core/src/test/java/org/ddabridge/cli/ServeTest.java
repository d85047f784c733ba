package org.ddabridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.engine.Engine;
import org.ddabridge.testing.FakeHosts;
/** The JSON Lines protocol of {@code serve}. */
class ServeTest {
    static List<JsonObject> serve(String... lines) throws Exception {
        StringWriter out = new StringWriter();
        ServeCommand.serve(new BufferedReader(new StringReader(String.join("\n", lines) + "\n")),
                new PrintWriter(out), new Engine());
        return out.toString().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    @Test
    void answersEachRequestOnOneLineWithItsId(@TempDir Path dir) throws Exception {
        FakeHosts.smallQ35(dir);
        String root = dir.toString().replace("\\", "\\\\");
        List<JsonObject> answers = serve(
                "{\"id\":1,\"command\":\"devices\",\"args\":{\"root\":\"" + root + "\"}}",
                "",
                "{\"id\":\"two\",\"command\":\"devices\",\"args\":{\"root\":\"" + root + "\",\"address\":\"0000:01:00.0\"}}");
        assertEquals(2, answers.size());
        assertEquals(1, answers.get(0).get("id").getAsInt());
        assertTrue(answers.get(0).get("ok").getAsBoolean());
        assertEquals(6, answers.get(0).getAsJsonArray("result").size());
        assertEquals("two", answers.get(1).get("id").getAsString());
        assertEquals(1, answers.get(1).getAsJsonArray("result").size());
    }

    @Test
    void badLinesGetErrorEnvelopesAndTheLoopGoesOn(@TempDir Path dir) throws Exception {
        FakeHosts.smallQ35(dir);
        List<JsonObject> answers = serve(
                "{not json",
                "[1,2]",
                "{\"id\":3}",
                "{\"id\":4,\"command\":\"frobnicate\"}",
                "{\"id\":5,\"command\":\"devices\",\"args\":{\"bogus\":1}}",
                "{\"id\":6,\"command\":\"devices\",\"args\":{\"root\":\"" + dir + "\",\"address\":\"0000:0a:00.0\"}}",
                "{\"id\":7,\"command\":\"version\"}");
        assertEquals(7, answers.size());
        String[] expected = {"MalformedRequest", "MalformedRequest", "MalformedRequest", "UnknownCommand",
            "InvalidArgument", "DeviceNotFound"};
        for (int i = 0; i < expected.length; i++) {
            JsonObject a = answers.get(i);
            assertFalse(a.get("ok").getAsBoolean(), a.toString());
            assertEquals(expected[i], a.getAsJsonObject("error").get("id").getAsString(), a.toString());
            assertEquals(1, a.get("schemaVersion").getAsInt());
        }
        assertEquals(3, answers.get(2).get("id").getAsInt());
        assertTrue(answers.get(6).get("ok").getAsBoolean());
    }

    @Test
    void progressEventsPrecedeTheAnswer(@TempDir Path dir, @TempDir Path out) throws Exception {
        FakeHosts.smallQ35(dir);
        List<JsonObject> answers = serve("{\"id\":9,\"command\":\"capture\",\"args\":{\"root\":\"" + dir
                + "\",\"output\":\"" + out.resolve("x.tar.gz") + "\"}}");
        JsonObject last = answers.get(answers.size() - 1);
        assertTrue(last.get("ok").getAsBoolean(), last.toString());
        assertTrue(answers.size() > 1, "progress lines expected");
        for (JsonObject ev : answers.subList(0, answers.size() - 1)) {
            assertEquals("progress", ev.get("event").getAsString());
            assertEquals(9, ev.get("id").getAsInt());
        }
    }
}
