package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "survey", mixinStandardHelpOptions = true,
        description = "Survey this machine (or a host image, or an lspci dump): host checks, and a pass-through "
                + "verdict with reasons for every PCI function.")
final class SurveyCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    SelectionOptions selection;
    @Option(names = "--dump", paramLabel = "FILE",
            description = "Check the functions of an 'lspci -xxx' (or -xxxx) dump instead of a host: IOMMU groups are "
                    + "predicted from the topology, host checks are unknown.")
    String dump;
    @Option(names = "--target", paramLabel = "T",
            description = "Headline verdicts for this hypervisor: vfio (Linux KVM/QEMU) or hyperv (Windows DDA). "
                    + "Default: the one this host runs (Windows: hyperv, otherwise vfio). Every device also "
                    + "carries both targets' device-only verdicts.")
    String target;

    @Override
    String command() {
        return "survey";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        selection.addTo(a);
        if (dump != null) {
            a.addProperty("dump", dump);
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
