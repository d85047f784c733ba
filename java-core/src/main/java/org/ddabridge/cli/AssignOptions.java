package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Option;

/** Options of the state-changing commands (dismount, mount, repair). */
final class AssignOptions {
    @Option(names = "--what-if", description = "Show the plan (groups, guards, steps) and change nothing.")
    boolean whatIf;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Journal and lock directory (default /var/lib/ddabridge, or <root>/var/lib/ddabridge "
                    + "with --root; env DDABRIDGE_STATE_DIR).")
    String stateDir;

    void addTo(JsonObject args) {
        if (whatIf) {
            args.addProperty("whatIf", true);
        }
        if (stateDir != null) {
            args.addProperty("stateDir", stateDir);
        }
    }
}
