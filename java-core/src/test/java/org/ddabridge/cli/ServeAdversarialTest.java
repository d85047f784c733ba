package org.ddabridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.engine.Engine;
import org.ddabridge.testing.FakeHosts;

/** serve against hostile input: odd ids, NUL bytes, huge and deeply nested lines, a request that blows up. */
class ServeAdversarialTest {
    private static List<String> serve(Reader in, Engine engine) throws Exception {
        StringWriter out = new StringWriter();
        ServeCommand.serve(new BufferedReader(in), new PrintWriter(out), engine);
        return out.toString().lines().toList();
    }

    private static List<String> serve(String... lines) throws Exception {
        return serve(new StringReader(String.join("\n", lines) + "\n"), new Engine());
    }

    private static JsonObject json(String line) {
        return JsonParser.parseString(line).getAsJsonObject();
    }

    /** The text of the {@code id} member exactly as it appears in the answer line. */
    private static String rawId(String line) {
        JsonElement id = json(line).get("id");
        return id == null ? null : id.toString();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void requestIdsComeBackExactlyAsSent() throws Exception {
        List<String> ids = List.of("1e400", "123456789012345678901234567890", "-0", "1.50", "7", "\"x\\u0000y\"",
                "{\"a\":[1,{\"b\":null}]}", "[1,\"two\"]", "true", "9007199254740993");
        String[] lines = ids.stream().map(i -> "{\"id\":" + i + ",\"command\":\"version\"}").toArray(String[]::new);
        List<String> out = serve(lines);
        assertEquals(ids.size(), out.size());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(JsonParser.parseString(ids.get(i)).toString(), rawId(out.get(i)), out.get(i));
            // and literally: the number's text is not re-formatted
            if (!ids.get(i).startsWith("\"")) {
                assertTrue(out.get(i).startsWith("{\"id\":" + ids.get(i).replace(" ", "") + ","), out.get(i));
            }
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void nulBytesInPathsAreInvalidArgumentsNotInternal(@TempDir Path dir) throws Exception {
        FakeHosts.smallQ35(dir);
        String root = dir.toString();
        List<String> out = serve(
                "{\"id\":1,\"command\":\"devices\",\"args\":{\"root\":\"" + root + "\\u0000/../etc\"}}",
                "{\"id\":2,\"command\":\"survey\",\"args\":{\"dump\":\"/tmp/x\\u0000y\"}}",
                "{\"id\":3,\"command\":\"dismount\",\"args\":{\"root\":\"" + root + "\",\"stateDir\":\"/tmp/s\\u0000\","
                        + "\"address\":\"0000:00:01.0\",\"whatIf\":true}}",
                "{\"id\":4,\"command\":\"capture\",\"args\":{\"root\":\"" + root + "\",\"output\":\"/tmp/a\\u0000.tgz\"}}",
                "{\"id\":5,\"command\":\"version\"}");
        assertEquals(5, out.size());
        for (int i = 0; i < 4; i++) {
            JsonObject a = json(out.get(i));
            assertFalse(a.get("ok").getAsBoolean(), out.get(i));
            // A root or dump that is no valid path is "no such host image"; other path arguments InvalidArgument.
            String want = i < 2 ? "HostImageNotFound" : "InvalidArgument";
            assertEquals(want, a.getAsJsonObject("error").get("id").getAsString(), out.get(i));
        }
        assertTrue(json(out.get(4)).get("ok").getAsBoolean());
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void dumpHeaderWithDomainFfffffffIsDumpInvalid(@TempDir Path dir) throws Exception {
        Path dump = Files.writeString(dir.resolve("d.txt"), "ffffffff:00:00.0 Host bridge: x\n"
                + "00: 86 80 c0 29 00 00 00 00 00 00 00 06 00 00 00 00\n");
        List<String> out = serve("{\"id\":1,\"command\":\"survey\",\"args\":{\"dump\":\"" + dump + "\"}}",
                "{\"id\":2,\"command\":\"decode\",\"args\":{\"dump\":\"" + dump + "\"}}");
        for (String line : out) {
            assertEquals("DumpInvalid", json(line).getAsJsonObject("error").get("id").getAsString(), line);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void oversizedLinesAreRefusedUnreadAndNotEchoed() throws Exception {
        int size = ServeCommand.MAX_LINE_CHARS + 4096;
        StringBuilder big = new StringBuilder(size + 100);
        big.append("{\"id\":1,\"command\":\"version\",\"args\":{\"root\":\"");
        while (big.length() < size) {
            big.append("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        }
        big.append("\"}}");
        List<String> out = serve(big.toString(), "{\"id\":2,\"command\":\"version\"}",
                "{\"id\":3,\"command\":\"devices\",\"args\":" + "[".repeat(200_000) + "}");
        assertEquals(3, out.size());
        JsonObject a = json(out.get(0));
        assertEquals("MalformedRequest", a.getAsJsonObject("error").get("id").getAsString());
        assertTrue(out.get(0).length() < 1000, "the payload must not be echoed: " + out.get(0).length() + " chars");
        assertNull(a.get("id"));
        assertTrue(json(out.get(1)).get("ok").getAsBoolean(), "the loop goes on");
        JsonObject deep = json(out.get(2));
        assertEquals("MalformedRequest", deep.getAsJsonObject("error").get("id").getAsString());
        assertTrue(out.get(2).length() < 2000, out.get(2).length() + " chars");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRequestThatBlowsUpGetsAnEnvelopeAndTheProcessServesTheNext() throws Exception {
        Engine engine = new Engine();
        engine.register("boom", (args, p) -> {
            throw new StackOverflowError("simulated");
        });
        engine.register("oom", (args, p) -> {
            throw new OutOfMemoryError("simulated");
        });
        engine.register("npe", (args, p) -> {
            throw new NullPointerException("simulated");
        });
        List<String> out = serve(new StringReader("{\"id\":\"a\",\"command\":\"boom\"}\n{\"id\":\"b\",\"command\":\"oom\"}\n"
                + "{\"id\":\"c\",\"command\":\"npe\"}\n{\"id\":\"d\",\"command\":\"version\"}\n"), engine);
        assertEquals(4, out.size(), out.toString());
        for (int i = 0; i < 3; i++) {
            JsonObject a = json(out.get(i));
            assertFalse(a.get("ok").getAsBoolean());
            assertEquals(String.valueOf((char) ('a' + i)), a.get("id").getAsString());
        }
        assertTrue(json(out.get(3)).get("ok").getAsBoolean());
    }

    @Test
    void nulInAStateDirIsInvalidArgumentToo() {
        EngineException e = org.junit.jupiter.api.Assertions.assertThrows(EngineException.class,
                () -> new Engine().execute("pool", json("{\"stateDir\":\"/tmp/a\\u0000b\"}"), (x, y, z) -> { }));
        assertEquals(ErrorId.InvalidArgument, e.id());
    }
}
