package org.ddabridge.driver.windows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.model.windows.HostProperties;
import org.ddabridge.model.windows.MemoryRange;
import org.ddabridge.util.Json;
/**
 * A recorded Windows host: the property bags of a {@code *.windows.json} fixture. The same document is what
 * {@link #write} produces from any source, so a live Windows host can be recorded and replayed on Linux.
 *
 * <pre>
 * {"format": "ddabridge-windows/1",
 *  "host": {"hostname": …, "osVersion": …, "hyperVPresent": true, "iovSupport": true, "iovSupportReasons": []},
 *  "devices": [{"instanceId": "PCI\\VEN_…", "status": 25190410, "problem": 0,
 *               "properties": {"DEVPKEY_PciDevice_DeviceType": 2, "DEVPKEY_Device_LocationPaths": ["PCIROOT(0)#…"]},
 *               "memory": [{"start": "0xf6000000", "end": "0xf6ffffff"}], "interrupts": [4294967292]}]}
 * </pre>
 */
public final class JsonDeviceSource implements WindowsDeviceSource {
    /** The document format tag. */
    public static final String FORMAT = "ddabridge-windows/1";
    /** File names ending like this are Windows fixtures ({@code --root}). */
    public static final String SUFFIX = ".windows.json";

    private final List<DeviceProperties> devices;
    private final HostProperties host;

    private JsonDeviceSource(List<DeviceProperties> devices, HostProperties host) {
        this.devices = devices;
        this.host = host;
    }

    /** Reads a fixture file; {@link ErrorId#HostImageNotFound} / {@link ErrorId#HostImageInvalid} on failure. */
    public static JsonDeviceSource open(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException(ErrorId.HostImageNotFound, "Cannot read the Windows fixture '" + file + "': "
                    + e.getMessage(), file.toString());
        }
        try {
            return parse(text, file.toString());
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | ClassCastException e) {
            throw new EngineException(ErrorId.HostImageInvalid, "'" + file + "' is not a Windows fixture ("
                    + FORMAT + "): " + e.getMessage(), file.toString());
        }
    }

    /** Parses fixture text; {@code source} labels the host facts. */
    public static JsonDeviceSource parse(String text, String source) {
        JsonObject root = JsonParser.parseString(text).getAsJsonObject();
        JsonElement format = root.get("format");
        if (format == null || !FORMAT.equals(format.getAsString())) {
            throw new IllegalArgumentException("\"format\" must be \"" + FORMAT + "\"");
        }
        JsonObject h = root.has("host") ? root.getAsJsonObject("host") : new JsonObject();
        List<String> reasons = new ArrayList<>();
        if (h.has("iovSupportReasons") && h.get("iovSupportReasons").isJsonArray()) {
            h.getAsJsonArray("iovSupportReasons").forEach(e -> reasons.add(e.getAsString()));
        }
        HostProperties host = new HostProperties(str(h, "hostname"), str(h, "osVersion"), bool(h, "hyperVPresent"),
                bool(h, "iovSupport"), reasons, source);
        List<DeviceProperties> devices = new ArrayList<>();
        JsonArray arr = root.has("devices") ? root.getAsJsonArray("devices") : new JsonArray();
        for (JsonElement e : arr) {
            devices.add(device(e.getAsJsonObject()));
        }
        return new JsonDeviceSource(List.copyOf(devices), host);
    }

    private static DeviceProperties device(JsonObject o) {
        String id = str(o, "instanceId");
        if (id == null) {
            throw new IllegalArgumentException("a device has no \"instanceId\"");
        }
        Map<String, Object> props = new LinkedHashMap<>();
        if (o.has("properties")) {
            for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("properties").entrySet()) {
                Object v = value(p.getValue());
                if (v != null) {
                    props.put(p.getKey(), v);
                }
            }
        }
        List<MemoryRange> memory = null;
        if (o.has("memory") && o.get("memory").isJsonArray()) {
            memory = new ArrayList<>();
            for (JsonElement m : o.getAsJsonArray("memory")) {
                JsonObject r = m.getAsJsonObject();
                memory.add(new MemoryRange(number(r.get("start")), number(r.get("end"))));
            }
        }
        List<Long> irqs = null;
        if (o.has("interrupts") && o.get("interrupts").isJsonArray()) {
            irqs = new ArrayList<>();
            for (JsonElement i : o.getAsJsonArray("interrupts")) {
                irqs.add(number(i));
            }
        }
        Integer status = o.has("status") && !o.get("status").isJsonNull() ? (int) number(o.get("status")) : null;
        Integer problem = o.has("problem") && !o.get("problem").isJsonNull() ? (int) number(o.get("problem")) : null;
        return new DeviceProperties(id, props, status, problem, memory, irqs);
    }

    /** JSON value -> bag value: integers as Long, booleans, strings, arrays of strings. */
    static Object value(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonArray()) {
            List<String> l = new ArrayList<>();
            e.getAsJsonArray().forEach(x -> l.add(x.getAsString()));
            return List.copyOf(l);
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            return p.getAsLong();
        }
        return p.getAsString();
    }

    /** A number given as a JSON number or as decimal / {@code 0x} hex text. */
    static long number(JsonElement e) {
        if (e.getAsJsonPrimitive().isNumber()) {
            return e.getAsLong();
        }
        String s = e.getAsString().trim();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            return Long.parseUnsignedLong(s.substring(2), 16);
        }
        return Long.parseLong(s);
    }

    private static String str(JsonObject o, String k) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static Boolean bool(JsonObject o, String k) {
        JsonElement e = o.get(k);
        return e == null || e.isJsonNull() ? null : e.getAsBoolean();
    }

    /** Records any source in the fixture format (how fixtures are made on a real Windows host). */
    public static String write(WindowsDeviceSource source) {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        HostProperties h = source.host();
        JsonObject host = new JsonObject();
        host.addProperty("hostname", h.hostname());
        host.addProperty("osVersion", h.osVersion());
        host.addProperty("hyperVPresent", h.hyperVPresent());
        host.addProperty("iovSupport", h.iovSupport());
        JsonArray reasons = new JsonArray();
        h.iovSupportReasons().forEach(reasons::add);
        host.add("iovSupportReasons", reasons);
        root.add("host", host);
        JsonArray devices = new JsonArray();
        for (DeviceProperties d : source.devices()) {
            JsonObject o = new JsonObject();
            o.addProperty("instanceId", d.instanceId());
            o.addProperty("status", d.status());
            o.addProperty("problem", d.problem());
            o.add("properties", Json.compact().toJsonTree(d.properties()));
            if (d.memory() != null) {
                JsonArray mem = new JsonArray();
                for (MemoryRange r : d.memory()) {
                    JsonObject m = new JsonObject();
                    m.addProperty("start", "0x" + Long.toHexString(r.start()));
                    m.addProperty("end", "0x" + Long.toHexString(r.end()));
                    mem.add(m);
                }
                o.add("memory", mem);
            }
            if (d.interrupts() != null) {
                JsonArray irq = new JsonArray();
                d.interrupts().forEach(irq::add);
                o.add("interrupts", irq);
            }
            devices.add(o);
        }
        root.add("devices", devices);
        return Json.pretty().toJson(root);
    }

    @Override
    public List<DeviceProperties> devices() {
        return devices;
    }

    @Override
    public HostProperties host() {
        return host;
    }
}
