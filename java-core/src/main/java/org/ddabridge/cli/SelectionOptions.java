package org.ddabridge.cli;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Device identities shared by commands that take devices (the class filter is only for the listing commands). */
final class SelectionOptions {
    @Parameters(paramLabel = "ADDRESS", arity = "0..*", description = "PCI addresses (0000:01:00.0 or 01:00.0).")
    List<String> addresses = new ArrayList<>();

    @Option(names = "--location-path", paramLabel = "PATH", description = "Windows-form location path(s).")
    List<String> locationPaths = new ArrayList<>();

    @Option(names = "--instance-id", paramLabel = "ID", description = "Windows-form instance id(s).")
    List<String> instanceIds = new ArrayList<>();

    void addTo(JsonObject args) {
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
