package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Write a host image (.tar.gz) of the sysfs/procfs files the engine reads, for bug reports "
                + "and offline analysis with --root. Reads only.")
final class CaptureCommand extends EngineCommand {
    @Mixin
    CommonOptions common;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.tar.gz", description = "Archive to write.")
    String output;

    @Override
    String command() {
        return "capture";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        a.addProperty("output", output);
        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
