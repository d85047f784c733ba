package org.ddabridge.cli;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report: host readiness, the PCIe topology with IOMMU groups and "
                + "a verdict per function. With several INPUTs (host images or saved 'survey --json' files), a fleet "
                + "report: one row per host and a device-model matrix. Reads only.")
final class ReportCommand extends EngineCommand {
    @Mixin
    CommonOptions common;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.html", description = "Report to write.")
    String output;

    @Parameters(paramLabel = "INPUT", arity = "0..*",
            description = "Host image (directory, .tar.gz, .windows.json) or saved 'survey --json' output; "
                    + "none: this machine (or --root).")
    List<String> inputs = new ArrayList<>();

    @Override
    String command() {
        return "report";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        a.addProperty("output", output);
        if (!inputs.isEmpty()) {
            JsonArray in = new JsonArray();
            inputs.forEach(in::add);
            a.add("input", in);
        }
        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
