package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "After a crash: undo an interrupted dismount or mount from the journal, "
                + "so every function is consistent again.")
final class RepairCommand extends EngineCommand {
    @Mixin
    CommonOptions common;

    @Mixin
    AssignOptions assign;

    @Override
    String command() {
        return "repair";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);

        assign.addTo(a);

        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
