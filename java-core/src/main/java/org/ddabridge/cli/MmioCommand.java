package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mmio}: the MMIO space a set of devices needs in one VM, with the exact Hyper-V/QEMU/libvirt settings. */
@Command(name = "mmio", mixinStandardHelpOptions = true,
        description = "The guest MMIO space the named devices need together in one VM, and the settings that "
                + "give it: Set-VM -LowMemoryMappedIoSpace/-HighMemoryMappedIoSpace, QEMU's and libvirt's 64-bit PCI hole.")
final class MmioCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    SelectionOptions selection;

    @Override
    String command() {
        return "mmio";
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
