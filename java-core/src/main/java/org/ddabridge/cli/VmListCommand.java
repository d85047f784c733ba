package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "vm-list", mixinStandardHelpOptions = true,
        description = "VMs and the host PCI functions they have: one VM (--vm), or every QEMU process of this host "
                + "and every libvirt domain (with the VFIO groups each holds).")
final class VmListCommand extends EngineCommand {
    @Mixin
    VmOptions vm;
    @Option(names = "--json", description = "Print the JSON envelope.")
    boolean json;

    @Override
    String command() {
        return "vm-list";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        vm.addTo(a);
        return a;
    }

    @Override
    boolean json() {
        return json;
    }
}
