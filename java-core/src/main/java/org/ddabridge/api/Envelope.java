package org.ddabridge.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.ddabridge.api.EngineException;
/**
 * The JSON envelope of every answer: {@code {"schemaVersion":1,"ok":true,"result":…}} or
 * {@code {"schemaVersion":1,"ok":false,"error":{"id","category","message","target"}}}; serve adds {@code id}.
 */
public final class Envelope {
    public static final int SCHEMA_VERSION = 1;

    private Envelope() {
    }

    public static Map<String, Object> ok(Object requestId, Object result) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (requestId != null) {
            m.put("id", requestId);
        }
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("ok", true);
        m.put("result", result);
        return m;
    }

    public static Map<String, Object> error(Object requestId, EngineException e) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("id", e.id().name());
        err.put("category", e.id().category());
        err.put("message", e.getMessage());
        err.put("target", e.target());
        if (e.details() != null) {
            err.put("details", e.details());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (requestId != null) {
            m.put("id", requestId);
        }
        m.put("schemaVersion", SCHEMA_VERSION);
        m.put("ok", false);
        m.put("error", err);
        return m;
    }
}
