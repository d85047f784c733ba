package org.ddabridge.util;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one Gson configuration every JSON document of the engine goes through. */
public final class Json {
    // Records are written from their fields (RecordAdapterFactory: no generated accessor classes at start-up).
    private static final Gson COMPACT = new GsonBuilder().serializeNulls().disableHtmlEscaping()
            .registerTypeAdapterFactory(new RecordAdapterFactory()).create();
    private static final Gson PRETTY = new GsonBuilder().serializeNulls().disableHtmlEscaping().setPrettyPrinting()
            .registerTypeAdapterFactory(new RecordAdapterFactory()).create();

    private Json() {
    }

    /** One-line JSON (JSON Lines, serve protocol). */
    public static Gson compact() {
        return COMPACT;
    }

    /**
     * Writes {@code value} as JSON into {@code out} as it goes (never held whole as a String), through a
     * {@link ChunkWriter} so Gson's many small writes do not each take the PrintWriter's locks.
     */
    public static void stream(Gson gson, Object value, java.io.PrintWriter out) {
        ChunkWriter chunks = new ChunkWriter(out, 1 << 13);
        gson.toJson(value, chunks);
        try {
            chunks.flush();
        } catch (java.io.IOException e) {
            // A PrintWriter below never throws (it records errors); any other writer's failure is reported.
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Indented JSON for humans reading {@code --json} output. */
    public static Gson pretty() {
        return PRETTY;
    }
}
