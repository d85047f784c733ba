package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "vm-remove", mixinStandardHelpOptions = true,
        description = "Take a PCI function's whole IOMMU group out of a VM (it stays on vfio-pci); waits for the guest to let go and reports a removal still pending. Device by address, --location-path or --instance-id.")
final class VmRemoveCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    SelectionOptions selection;
    @Mixin
    VmOptions vm;
    @Mixin
    AssignOptions assign;
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the guest (default 30).")
    Long timeout;

    @Override
    String command() {
        return "vm-remove";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        selection.addTo(a);
        vm.addTo(a);
        assign.addTo(a);
        if (timeout != null) {
            a.addProperty("timeoutSeconds", timeout.toString());
        }
        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
