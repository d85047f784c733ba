package org.ddabridge.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Typed, validated access to a request's {@code args} object. Unknown keys are an error, not ignored. */
public final class Args {
    private final String command;
    private final JsonObject json;

    public Args(String command, JsonObject json) {
        this.command = command;
        this.json = json == null ? new JsonObject() : json;
    }

    public JsonObject json() {
        return json;
    }

    /** Fails with {@link ErrorId#InvalidArgument} when a key outside {@code allowed} is present. */
    public Args allow(Set<String> allowed) {
        for (String key : json.keySet()) {
            if (!allowed.contains(key)) {
                throw new EngineException(ErrorId.InvalidArgument,
                        "Unknown argument '" + key + "' for command '" + command + "'. Known: " + allowed, key);
            }
        }
        return this;
    }

    public String string(String key) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive()) {
            throw new EngineException(ErrorId.InvalidArgument, "Argument '" + key + "' must be a string.", key);
        }
        return e.getAsString();
    }

    /** A string or an array of strings; empty when absent. */
    public List<String> strings(String key) {
        JsonElement e = json.get(key);
        List<String> out = new ArrayList<>();
        if (e == null || e.isJsonNull()) {
            return out;
        }
        if (e.isJsonArray()) {
            for (JsonElement item : (JsonArray) e) {
                if (!item.isJsonPrimitive()) {
                    throw new EngineException(ErrorId.InvalidArgument,
                            "Argument '" + key + "' must hold strings only.", key);
                }
                out.add(item.getAsString());
            }
        } else if (e.isJsonPrimitive()) {
            out.add(e.getAsString());
        } else {
            throw new EngineException(ErrorId.InvalidArgument, "Argument '" + key + "' must be a string or a list.", key);
        }
        return out;
    }

    public boolean flag(String key) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return false;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new EngineException(ErrorId.InvalidArgument, "Argument '" + key + "' must be true or false.", key);
        }
        return e.getAsBoolean();
    }

    public String required(String key) {
        String v = string(key);
        if (v == null || v.isBlank()) {
            throw new EngineException(ErrorId.InvalidArgument,
                    "Command '" + command + "' needs the argument '" + key + "'.", key);
        }
        return v;
    }
}
