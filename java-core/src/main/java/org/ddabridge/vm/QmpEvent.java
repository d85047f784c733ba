package org.ddabridge.vm;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One asynchronous QMP event ({@code {"event": NAME, "data": {...}, "timestamp": {...}}}).
 *
 * @param name           the event name, e.g. {@code DEVICE_DELETED}
 * @param data           its data object (empty when the event has none)
 * @param epochMicros    QEMU's timestamp in microseconds since the epoch (0 when absent)
 */
public record QmpEvent(String name, JsonObject data, long epochMicros) {
    public QmpEvent {
        data = data == null ? new JsonObject() : data;
    }

    /** A string member of {@link #data()}, or null. */
    public String dataString(String key) {
        JsonElement e = data.get(key);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    /** For {@code DEVICE_DELETED}: the qdev id of the removed device (null for id-less devices). */
    public String deviceId() {
        return dataString("device");
    }
}
