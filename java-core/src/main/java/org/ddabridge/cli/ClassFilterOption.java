package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Option;

/**
 * {@code --class}: a filter of the listing commands ({@code devices}, {@code survey}). Commands that change or
 * size devices take explicit identities only, so they do not offer it.
 */
final class ClassFilterOption {
    @Option(names = "--class", paramLabel = "CLASS", description = "Class code prefix (01, 0108) or class name part.")
    String deviceClass;

    void addTo(JsonObject args) {
        if (deviceClass != null) {
            args.addProperty("class", deviceClass);
        }
    }
}
