package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "pool", mixinStandardHelpOptions = true,
        description = "List the PCI functions held for assignment (bound to vfio-pci) and what they were before.")
final class PoolCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Option(names = "--state-dir", paramLabel = "DIR", description = "Journal directory (see dismount).")
    String stateDir;

    @Override
    String command() {
        return "pool";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        if (stateDir != null) {
            a.addProperty("stateDir", stateDir);
        }

        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
