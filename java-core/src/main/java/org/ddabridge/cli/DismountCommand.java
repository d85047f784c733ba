package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dismount", mixinStandardHelpOptions = true,
        description = "Move PCI functions (their whole IOMMU group) from their host drivers to vfio-pci, "
                + "journaled and rolled back on failure. Devices by address, --location-path or --instance-id.")
final class DismountCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    SelectionOptions selection;
    @Mixin
    AssignOptions assign;
    @Option(names = "--force", description = "Dismount even when the checker says NotAssignable or a soft guard "
            + "(default-route NIC, open users) objects. Never overrides the hard guards.")
    boolean force;
    @Option(names = "--transient", description = "Do not persist: the next boot gives the functions back to their host drivers (default: persisted, like Hyper-V; driverctl-compatible udev rule + initramfs hook).")
    boolean transientOnly;
    @Option(names = "--target", paramLabel = "T", description = "Whose rules decide NotAssignable: vfio (default on "
            + "Linux) or hyperv; the same headline verdict 'survey --target T' shows.")
    String target;

    @Override
    String command() {
        return "dismount";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        selection.addTo(a);
        assign.addTo(a);
        if (force) {
            a.addProperty("force", true);
        }
        if (transientOnly) {
            a.addProperty("transient", true);
        }
        if (target != null) {
            a.addProperty("target", target);
        }
        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
