package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "mount", mixinStandardHelpOptions = true,
        description = "Give held PCI functions (their whole IOMMU group) back to their original host drivers.")
final class MountCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    SelectionOptions selection;
    @Mixin
    AssignOptions assign;
    @Option(names = "--transient", description = "Leave the persisted assignment in place: the functions go back to their host drivers now, and to vfio-pci again at the next boot.")
    boolean transientOnly;

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
        if (transientOnly) {
            a.addProperty("transient", true);
        }
        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
