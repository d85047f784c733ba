package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "survey", mixinStandardHelpOptions = true,
        description = "Survey this machine (or a host image): host facts and every PCI function.")
final class SurveyCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    SelectionOptions selection;

    @Override
    String command() {
        return "survey";
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
