package org.ddabridge.cli;

import picocli.CommandLine.Option;

/** How text output looks (every one-shot command has them; JSON output ignores them). */
final class DisplayOptions {
    @Option(names = "--no-color", description = "No colour, even on a terminal (so does a non-empty NO_COLOR).")
    boolean noColor;

    @Option(names = {"-q", "--quiet"}, description = "Results only: no progress, legends or next-step hints.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Everything: every reason with its evidence, every step.")
    boolean verbose;
}
