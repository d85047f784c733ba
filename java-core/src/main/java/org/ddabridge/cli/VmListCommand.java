package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "vm-list", mixinStandardHelpOptions = true,
        description = "VMs and the host PCI functions they have: one VM (--vm), or every QEMU process of this host "
                + "and every libvirt domain (with the VFIO groups each holds).")
final class VmListCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    VmOptions vm;

    @Override
    String command() {
        return "vm-list";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        vm.addTo(a);
        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
