package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "vm-set", mixinStandardHelpOptions = true,
        description = "Microsoft's DDA VM settings on a libvirt domain: --high-mmio -> the root PCI controller's <pcihole64> "
                + "(persistent definition; a running domain gets it at its next start); --low-mmio, --automatic-stop-action "
                + "(libvirt has no per-domain equivalent: host-wide libvirt-guests) and --guest-controlled-cache-types "
                + "(KVM needs no setting) are reported, not pretended. Sizes in bytes or with MB/GB (33280MB, 3GB).")
final class VmSetCommand extends EngineCommand {
    @Mixin
    VmOptions vm;
    @Option(names = "--low-mmio", paramLabel = "SIZE", description = "Hyper-V's -LowMemoryMappedIoSpace (3GB).")
    String low;
    @Option(names = "--high-mmio", paramLabel = "SIZE", description = "Hyper-V's -HighMemoryMappedIoSpace (33280MB).")
    String high;
    @Option(names = "--automatic-stop-action", paramLabel = "ACTION", description = "TurnOff, Save or ShutDown.")
    String stop;
    @Option(names = "--guest-controlled-cache-types", paramLabel = "BOOL", description = "true or false.")
    String cache;
    @Option(names = "--what-if", description = "Report what would change and change nothing.")
    boolean whatIf;
    @Option(names = "--json", description = "Print the JSON envelope.")
    boolean json;

    @Override
    String command() {
        return "vm-set";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        vm.addTo(a);
        put(a, "lowMemoryMappedIoSpace", low);
        put(a, "highMemoryMappedIoSpace", high);
        put(a, "automaticStopAction", stop);
        put(a, "guestControlledCacheTypes", cache);
        if (whatIf) {
            a.addProperty("whatIf", true);
        }
        return a;
    }

    private static void put(JsonObject a, String key, String value) {
        if (value != null) {
            a.addProperty(key, value);
        }
    }

    @Override
    boolean json() {
        return json;
    }
}
