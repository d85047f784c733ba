package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List PCI functions: address, location path, instance id, ids, names, driver, IOMMU group, BARs.")
final class DevicesCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    SelectionOptions selection;

    @Override
    String command() {
        return "devices";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        selection.addTo(a);
        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
