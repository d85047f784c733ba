package org.ddabridge.cli;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * How every command that selects devices names them: identities, and {@code --class} (a filter on the named
 * functions, or, alone, every function of that class; the engine's request argument {@code class} everywhere).
 */
final class SelectionOptions {
    @Parameters(paramLabel = "ADDRESS", arity = "0..*", description = "PCI addresses (0000:01:00.0 or 01:00.0).")
    List<String> addresses = new ArrayList<>();

    @Option(names = "--location-path", paramLabel = "PATH", description = "Windows-form location path(s).")
    List<String> locationPaths = new ArrayList<>();

    @Option(names = "--instance-id", paramLabel = "ID", description = "Windows-form instance id(s).")
    List<String> instanceIds = new ArrayList<>();

    @Option(names = "--class", paramLabel = "CLASS", description = "Class code prefix (01, 0108) or class name part: "
            + "only functions of that class (alone: every function of that class).")
    String deviceClass;

    void addTo(JsonObject args) {
        if (deviceClass != null) {
            args.addProperty("class", deviceClass);
        }
        put(args, "address", addresses);
        put(args, "locationPath", locationPaths);
        put(args, "instanceId", instanceIds);
    }

    private static void put(JsonObject args, String key, List<String> values) {
        if (!values.isEmpty()) {
            JsonArray a = new JsonArray();
            values.forEach(a::add);
            args.add(key, a);
        }
    }
}
