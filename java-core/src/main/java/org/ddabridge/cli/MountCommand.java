package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "mount", mixinStandardHelpOptions = true,
        description = "Give held PCI functions (their whole IOMMU group) back to their original host drivers.")
final class MountCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    SelectionOptions selection;
    @Mixin
    AssignOptions assign;

    @Override
    String command() {
        return "mount";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        selection.addTo(a);
        assign.addTo(a);

        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
