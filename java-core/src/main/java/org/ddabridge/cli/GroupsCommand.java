package org.ddabridge.cli;

import java.util.List;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code groups}: IOMMU groups, the classic "IOMMU Group N:" listing with verdicts and VFIO viability. */
@Command(name = "groups", mixinStandardHelpOptions = true,
        description = "List IOMMU groups: members, the group the checker predicts, whether VFIO would accept the "
                + "group now, and each member's verdict. Without live groups (IOMMU off, dumps) the predicted ones.")
final class GroupsCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    SelectionOptions selection;
    @Option(names = "--group", paramLabel = "N", split = ",", description = "Only these group numbers.")
    List<String> groups = new java.util.ArrayList<>();

    @Override
    String command() {
        return "groups";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        selection.addTo(a);
        if (!groups.isEmpty()) {
            com.google.gson.JsonArray g = new com.google.gson.JsonArray();
            groups.forEach(g::add);
            a.add("group", g);
        }
        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }
}
