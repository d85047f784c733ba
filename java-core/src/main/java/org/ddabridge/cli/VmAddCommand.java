package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "vm-add", mixinStandardHelpOptions = true,
        description = "Give a dismounted PCI function's whole IOMMU group (on vfio-pci) to a VM: QMP device_add vfio-pci into free pcie-root-ports, or a libvirt <hostdev managed='no'> live and persistent (with a <pcihole64> as large as the survey says the group needs). Device by address, --location-path, --instance-id, or --any (the first free device of the pool). Journaled; rolled back on failure; repair after a crash.")
final class VmAddCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    SelectionOptions selection;
    @Mixin
    VmOptions vm;
    @Mixin
    AssignOptions assign;
    @Option(names = "--any", description = "The first device of the pool that no VM holds (Hyper-V's Add-VMAssignableDevice without a device).")
    boolean any;

    @Override
    String command() {
        return "vm-add";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        selection.addTo(a);
        vm.addTo(a);
        assign.addTo(a);
        if (any) {
            a.addProperty("any", true);
        }
        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
