package org.ddabridge.engine;

import java.util.List;
import java.util.function.UnaryOperator;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import org.ddabridge.api.Args;
import org.ddabridge.model.PciDevice;
import org.ddabridge.survey.Survey;
/**
 * The checker's survey as JSON, the same document the {@code survey} command returns. Commands built on the
 * survey ({@code groups}, {@code mmio}) read this public shape rather than the checker's classes, so they do
 * not depend on how the checker is organised inside.
 */
final class SurveyJson {
    private SurveyJson() {
    }

    static JsonObject of(Args args, UnaryOperator<List<PciDevice>> select) {
        return Survey.ofHost(Engine.backend(args), select).toJson();
    }

    static JsonArray devices(JsonObject survey) {
        JsonElement d = survey.get("devices");
        return d != null && d.isJsonArray() ? d.getAsJsonArray() : new JsonArray();
    }

    static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    static long num(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? 0 : e.getAsLong();
    }
}
