package org.ddabridge.util;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one Gson configuration every JSON document of the engine goes through. */
public final class Json {
    private static final Gson COMPACT = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    private static final Gson PRETTY =
            new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting().create();

    private Json() {
    }

    /** One-line JSON (JSON Lines, serve protocol). */
    public static Gson compact() {
        return COMPACT;
    }

    /** Indented JSON for humans reading {@code --json} output. */
    public static Gson pretty() {
        return PRETTY;
    }
}
