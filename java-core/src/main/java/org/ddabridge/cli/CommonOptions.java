package org.ddabridge.cli;

import com.google.gson.JsonObject;

import picocli.CommandLine.Option;

/** Options every read command shares. */
final class CommonOptions {
    @Option(names = "--root", paramLabel = "DIR|FILE.tar.gz",
            description = "Read a host image instead of this machine: a directory treated as / for sys and proc, "
                    + "or an archive made by 'capture'.")
    String root;

    @Option(names = "--json", description = "Print the JSON envelope instead of a table.")
    boolean json;

    void addTo(JsonObject args) {
        if (root != null) {
            args.addProperty("root", root);
        }
    }
}
