package org.ddabridge.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import picocli.CommandLine.Command;

import org.ddabridge.api.Envelope;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.engine.Engine;
import org.ddabridge.util.Json;
/**
 * {@code serve}: JSON Lines over stdin/stdout. One request per line,
 * {@code {"id":…,"command":"devices","args":{…}}}; one response line per request (the envelope plus
 * {@code id}), preceded by any {@code {"id":…,"event":"progress",…}} lines. stdout carries protocol
 * lines only; diagnostics go to stderr. Ends at end of input.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Answer JSON Lines requests on stdin (used by the PowerShell module; one JVM per session).")
final class ServeCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
        Reader in = new InputStreamReader(System.in, StandardCharsets.UTF_8);
        // Buffered in characters: Gson writes a survey as hundreds of thousands of short strings, and each one
        // going straight to the encoder (and System.out's small buffer) cost more than building the answer.
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        serve(new BufferedReader(in), new PrintWriter(out, false), new Engine());
        return ErrorId.ExitCodes.OK;
    }

    /** The longest request line read (requests are a few hundred bytes; a longer line is refused unread). */
    static final int MAX_LINE_CHARS = 1 << 20;
    /** How much of a bad line an error's {@code target} shows. */
    private static final int TARGET_CHARS = 200;

    /** The request loop (tests drive it with in-memory streams). */
    static void serve(BufferedReader in, PrintWriter out, Engine engine) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            long length = readLine(in, line);
            if (length < 0) {
                return;
            }
            Map<String, Object> answer;
            if (length > MAX_LINE_CHARS) {
                answer = Envelope.error(null, new EngineException(ErrorId.MalformedRequest, "The request line has "
                        + length + " characters, more than the " + MAX_LINE_CHARS + " a request may have; it was "
                        + "not read.", null));
            } else if (line.toString().isBlank()) {
                continue;
            } else {
                answer = handleSafely(line.toString(), engine, out);
            }
            // Streamed into the writer: a large survey is written once, not built as a String first; through a
            // plain character buffer, so Gson's many small writes do not each take the PrintWriter's locks.
            Json.stream(Json.compact(), answer, out);
            out.println();
            out.flush();
        }
    }

    /**
     * Reads one line into {@code into} (without its end), keeping at most {@link #MAX_LINE_CHARS} + 1
     * characters and skipping the rest; returns the line's full length, or -1 at end of input.
     */
    static long readLine(BufferedReader in, StringBuilder into) throws IOException {
        into.setLength(0);
        long n = 0;
        int c;
        boolean end = true;
        while ((c = in.read()) >= 0) {
            end = false;
            if (c == '\n') {
                break;
            }
            if (n++ <= MAX_LINE_CHARS) {
                into.append((char) c);
            }
        }
        if (into.length() > 0 && into.charAt(into.length() - 1) == '\r') {
            into.setLength(into.length() - 1);
        }
        return end ? -1 : n;
    }

    /**
     * {@link #handle}, and whatever escapes it (an engine bug, a stack overflow) still becomes an envelope:
     * one request never ends the process for the requests after it.
     */
    static Map<String, Object> handleSafely(String line, Engine engine, PrintWriter out) {
        try {
            return handle(line, engine, out);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            return Envelope.error(rawId(line), new EngineException(ErrorId.Internal,
                    "The request failed unexpectedly: " + e.getClass().getSimpleName(), null));
        }
    }

    private static Object rawId(String line) {
        try {
            JsonElement e = JsonParser.parseString(line);
            return e.isJsonObject() ? requestId(e.getAsJsonObject().get("id")) : null;
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    static Map<String, Object> handle(String line, Engine engine, PrintWriter out) {
        Object id = null;
        try {
            JsonObject request = parse(line);
            id = requestId(request.get("id"));
            JsonElement command = request.get("command");
            if (command == null || !command.isJsonPrimitive() || !command.getAsJsonPrimitive().isString()) {
                throw new EngineException(ErrorId.MalformedRequest, "The request has no string 'command'.", clip(line));
            }
            JsonElement args = request.get("args");
            if (args != null && !args.isJsonNull() && !args.isJsonObject()) {
                throw new EngineException(ErrorId.MalformedRequest, "'args' must be a JSON object.", clip(line));
            }
            if ("serve".equals(command.getAsString())) {
                throw new EngineException(ErrorId.InvalidArgument, "'serve' cannot be requested inside serve.", "serve");
            }
            Object rid = id;
            Progress progress = (activity, percent, status) -> {
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("id", rid);
                ev.put("event", "progress");
                ev.put("activity", activity);
                ev.put("percent", percent);
                ev.put("status", status);
                out.println(Json.compact().toJson(ev));
                out.flush();
            };
            Object result = engine.execute(command.getAsString(),
                    args == null || args.isJsonNull() ? new JsonObject() : args.getAsJsonObject(), progress);
            return Envelope.ok(id, result);
        } catch (EngineException e) {
            return Envelope.error(id, e);
        }
    }

    private static JsonObject parse(String line) {
        try {
            JsonElement e = JsonParser.parseString(line);
            if (!e.isJsonObject()) {
                throw new EngineException(ErrorId.MalformedRequest, "A request must be a JSON object.", clip(line));
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | StackOverflowError e) {
            // Gson's message names the JSON path, as long as the nesting is deep: clipped like the target.
            String why = e instanceof StackOverflowError ? "nested too deeply" : clip(String.valueOf(e.getMessage()));
            throw new EngineException(ErrorId.MalformedRequest, "The request line is not valid JSON: " + why,
                    clip(line));
        }
    }

    private static String clip(String line) {
        return line.length() > TARGET_CHARS ? line.substring(0, TARGET_CHARS) + "…" : line;
    }

    /**
     * The id exactly as sent: the raw JSON element (a number keeps its text, so {@code 1e400} and
     * 30-digit integers come back unchanged; strings, arrays and objects as they were).
     */
    private static Object requestId(JsonElement id) {
        return id == null || id.isJsonNull() ? null : id;
    }
}
