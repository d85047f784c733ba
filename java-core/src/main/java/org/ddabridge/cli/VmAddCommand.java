package org.ddabridge.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "vm-add", mixinStandardHelpOptions = true,
        description = "Give a dismounted PCI function's whole IOMMU group (on vfio-pci) to a VM: QMP device_add vfio-pci into free pcie-root-ports, or a libvirt <hostdev managed='no'> live and persistent. Journaled; rolled back on failure; repair after a crash.")
final class VmAddCommand extends EngineCommand {
    @Parameters(paramLabel = "ADDRESS", arity = "1", description = "PCI address (0000:01:00.0); its whole group moves.")
    String address;
    @Mixin
    VmOptions vm;
    @Mixin
    AssignOptions assign;
    @Option(names = "--json", description = "Print the JSON envelope.")
    boolean json;

    @Override
    String command() {
        return "vm-add";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        JsonArray addr = new JsonArray();
        addr.add(address);
        a.add("address", addr);
        vm.addTo(a);
        assign.addTo(a);
        return a;
    }

    @Override
    boolean json() {
        return json;
    }
}
