package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code disable} / {@code enable}: Windows' Disable-PnpDevice / Enable-PnpDevice on Linux (a function
 * without a driver until enabled), the functions named only, journaled like dismount.
 */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Take PCI functions away from their host drivers and keep them driverless (like Windows' "
                + "Disable-PnpDevice) until 'enable'. Only the named functions, not their groups.")
class DisableCommand extends EngineCommand {
    @Mixin
    CommonOptions common;
    @Mixin
    SelectionOptions selection;
    @Mixin
    AssignOptions assign;
    @Option(names = "--force", description = "Go on when a soft guard (default-route NIC, open users) objects. "
            + "Never overrides the hard guards.")
    boolean force;

    @Override
    String command() {
        return "disable";
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
        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }

    /** {@code enable}: the same options; the kernel binds the function's natural driver again. */
    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Give disabled PCI functions back to the kernel: it binds their natural driver "
                    + "(like Windows' Enable-PnpDevice).")
    static final class Enable extends DisableCommand {
        @Override
        String command() {
            return "enable";
        }
    }
}
