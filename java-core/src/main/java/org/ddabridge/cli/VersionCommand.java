package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Engine, protocol and runtime versions.")
final class VersionCommand extends EngineCommand {
    @Option(names = "--json", description = "Print the JSON envelope.")
    boolean json;

    @Override
    String command() {
        return "version";
    }

    @Override
    JsonObject args() {
        return new JsonObject();
    }

    @Override
    boolean json() {
        return json;
    }
}
