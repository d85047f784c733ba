package org.ddabridge.cli;

import java.io.BufferedReader;
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
        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        serve(new BufferedReader(in), new PrintWriter(out, false), new Engine());
        return ErrorId.ExitCodes.OK;
    }

    /** The request loop (tests drive it with in-memory streams). */
    static void serve(BufferedReader in, PrintWriter out, Engine engine) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            // Streamed into the writer: a large survey is written once, not built as a String first.
            Json.compact().toJson(handle(line, engine, out), out);
            out.println();
            out.flush();
        }
    }

    static Map<String, Object> handle(String line, Engine engine, PrintWriter out) {
        Object id = null;
        try {
            JsonObject request = parse(line);
            id = requestId(request.get("id"));
            JsonElement command = request.get("command");
            if (command == null || !command.isJsonPrimitive() || !command.getAsJsonPrimitive().isString()) {
                throw new EngineException(ErrorId.MalformedRequest, "The request has no string 'command'.", line);
            }
            JsonElement args = request.get("args");
            if (args != null && !args.isJsonNull() && !args.isJsonObject()) {
                throw new EngineException(ErrorId.MalformedRequest, "'args' must be a JSON object.", line);
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
                throw new EngineException(ErrorId.MalformedRequest, "A request must be a JSON object.", line);
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new EngineException(ErrorId.MalformedRequest, "The request line is not valid JSON: "
                    + e.getMessage(), line.length() > 200 ? line.substring(0, 200) : line);
        }
    }

    /** Echo ids as numbers when they are integral, else as given. */
    private static Object requestId(JsonElement id) {
        if (id == null || id.isJsonNull()) {
            return null;
        }
        if (id.isJsonPrimitive() && id.getAsJsonPrimitive().isNumber()) {
            double d = id.getAsDouble();
            return d == Math.rint(d) ? (Object) id.getAsLong() : (Object) d;
        }
        return id.isJsonPrimitive() ? id.getAsString() : id.toString();
    }
}
