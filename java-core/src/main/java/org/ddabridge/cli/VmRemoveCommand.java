package org.ddabridge.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "vm-remove", mixinStandardHelpOptions = true,
        description = "Take a PCI function's whole IOMMU group out of a VM (it stays on vfio-pci); waits for the guest to let go and reports a removal still pending.")
final class VmRemoveCommand extends EngineCommand {
    @Parameters(paramLabel = "ADDRESS", arity = "1", description = "PCI address (0000:01:00.0); its whole group moves.")
    String address;
    @Mixin
    VmOptions vm;
    @Mixin
    AssignOptions assign;
    @Option(names = "--json", description = "Print the JSON envelope.")
    boolean json;
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to wait for the guest (default 30).")
    Long timeout;

    @Override
    String command() {
        return "vm-remove";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        JsonArray addr = new JsonArray();
        addr.add(address);
        a.add("address", addr);
        vm.addTo(a);
        assign.addTo(a);
        if (timeout != null) {
            a.addProperty("timeoutSeconds", timeout.toString());
        }
        return a;
    }

    @Override
    boolean json() {
        return json;
    }
}
