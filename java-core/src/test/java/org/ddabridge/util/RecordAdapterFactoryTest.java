package org.ddabridge.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;

import org.ddabridge.api.Envelope;
import org.ddabridge.api.Progress;
import org.ddabridge.engine.Engine;

/**
 * The engine's JSON with {@link RecordAdapterFactory} is Gson's own, byte for byte: every read command's answer
 * for every host image, Windows host and an lspci dump of the fixtures, written both ways (indented and one-line).
 */
class RecordAdapterFactoryTest {
    private static final Path FIXTURES = Path.of("../tests/fixtures");
    /** Gson as Json configures it, without the factory: what the engine wrote before it. */
    private static final Gson PLAIN_PRETTY = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting()
            .create();
    private static final Gson PLAIN_COMPACT = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    @Test
    void everyAnswerIsWrittenAsGsonWritesIt() throws IOException {
        List<String[]> requests = new ArrayList<>();
        for (Path image : list(FIXTURES.resolve("hosts"), ".tar.gz")) {
            for (String command : List.of("devices", "survey", "decode", "pnp", "vmhost", "groups")) {
                requests.add(new String[] {command, "root", image.toString()});
            }
        }
        for (Path host : list(FIXTURES.resolve("windows"), ".windows.json")) {
            for (String command : List.of("devices", "survey", "pnp")) {
                requests.add(new String[] {command, "root", host.toString()});
            }
        }
        Path dump = FIXTURES.resolve("lspci/cap-pcie-2");
        assertTrue(Files.isRegularFile(dump), "fixture missing: " + dump);
        requests.add(new String[] {"survey", "dump", dump.toString()});
        requests.add(new String[] {"decode", "dump", dump.toString()});
        requests.add(new String[] {"version"});
        requests.add(new String[] {"devpkeys"});
        assertTrue(requests.size() > 20, "fixtures missing under " + FIXTURES);
        Engine engine = new Engine();
        for (String[] r : requests) {
            JsonObject args = new JsonObject();
            if (r.length == 3) {
                args.addProperty(r[1], r[2]);
            }
            Object result = engine.execute(r[0], args, Progress.NONE);
            Object envelope = Envelope.ok(1, result);
            String what = String.join(" ", r);
            assertEquals(PLAIN_PRETTY.toJson(envelope), Json.pretty().toJson(envelope), what);
            assertEquals(PLAIN_COMPACT.toJson(envelope), Json.compact().toJson(envelope), what);
        }
    }

    @Test
    void readsRecordsBackAsGsonDoes() {
        record Sample(String name, int count, List<String> parts) {
        }
        Sample s = new Sample("a\u00e9\"", 3, List.of("x", "y"));
        String json = Json.compact().toJson(s);
        assertEquals(PLAIN_COMPACT.toJson(s), json);
        assertEquals(s, Json.compact().fromJson(json, Sample.class));
    }

    /**
     * The factory reads fields, Gson calls accessors: they agree only while no record of the engine has an
     * accessor of its own (a method named after a component, without parameters). One that does needs the
     * factory to leave it to Gson.
     */
    @Test
    void noRecordOfTheEngineHasAnAccessorOfItsOwn() throws IOException {
        Pattern record = Pattern.compile("\\brecord\\s+(\\w+)\\s*\\(([^)]*)\\)\\s*(?:implements[^{]*)?\\{");
        List<String> found = new ArrayList<>();
        int records = 0;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher m = record.matcher(src);
                while (m.find()) {
                    records++;
                    String body = body(src, m.end() - 1);
                    String components = m.group(2).replaceAll("<[^<>]*>", "").replaceAll("<[^<>]*>", "");
                    for (String c : components.split(",")) {
                        String[] words = c.trim().split("\\s+");
                        String name = words[words.length - 1];
                        if (!name.isEmpty() && Pattern.compile("\\b" + name + "\\s*\\(\\s*\\)\\s*\\{").matcher(body).find()) {
                            found.add(f.getFileName() + ": " + m.group(1) + "." + name + "()");
                        }
                    }
                }
            }
        }
        assertTrue(records > 50, "records found: " + records);
        assertEquals(List.of(), found);
    }

    /** The text of the block opening at {@code open} (nested braces counted; strings rarely hold braces here). */
    private static String body(String src, int open) {
        int depth = 0;
        for (int i = open; i < src.length(); i++) {
            char ch = src.charAt(i);
            if (ch == '{') {
                depth++;
            } else if (ch == '}' && --depth == 0) {
                return src.substring(open, i + 1);
            }
        }
        return src.substring(open);
    }

    private static List<Path> list(Path dir, String suffix) throws IOException {
        assertTrue(Files.isDirectory(dir), "fixtures missing: " + dir);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }
}
