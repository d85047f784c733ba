package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Option;

/** The VM of vm-add, vm-remove and vm-list. */
final class VmOptions {
    @Option(names = "--vm", paramLabel = "VM",
            description = "qmp:/path/to/qmp.sock (QEMU without libvirt) or a libvirt domain name.")
    String vm;

    @Option(names = "--uri", paramLabel = "URI", description = "libvirt connection URI (default qemu:///system).")
    String uri;

    void addTo(JsonObject args) {
        if (vm != null) {
            args.addProperty("vm", vm);
        }
        if (uri != null) {
            args.addProperty("uri", uri);
        }
    }
}
