package org.ddabridge.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The training run of the class-data sharing archive ({@code build.sh}): the commands people start cold, one
 * after another in one JVM, so the archive holds the classes of each (a dynamic archive is made from one run;
 * a run of {@code survey --json} alone left text output, help and errors to be loaded from the jar at every
 * start). Only reads: every command runs against the host image named by the argument, and {@code survey} and
 * {@code devices} also against this machine, as a user's first run does. Output is discarded.
 *
 * <p>{@code java -XX:ArchiveClassesAtExit=A.jsa -cp ddabridge.jar org.ddabridge.cli.CdsTraining IMAGE}
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    /** The argument lists run, in order, for the host image {@code root}. */
    static List<String[]> commands(String root) {
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"survey", "--json", "--root", root});
        runs.add(new String[] {"survey", "--root", root});
        runs.add(new String[] {"survey", "-v", "--target", "hyperv", "--root", root});
        runs.add(new String[] {"devices", "--json", "--root", root});
        runs.add(new String[] {"devices", "--root", root});
        runs.add(new String[] {"groups", "--root", root});
        runs.add(new String[] {"decode", "--json", "--root", root});
        runs.add(new String[] {"devices", "0000:ff:1f.7", "--json", "--root", root});
        runs.add(new String[] {"devices", "0000:ff:1f.7", "--root", root});
        runs.add(new String[] {"survey", "--no-such-option"});
        runs.add(new String[] {"version"});
        runs.add(new String[] {"version", "--json"});
        runs.add(new String[] {"--version"});
        runs.add(new String[] {"--help"});
        runs.add(new String[] {"survey", "--help"});
        runs.add(new String[] {"survey", "--json"});
        runs.add(new String[] {"survey"});
        runs.add(new String[] {"devices", "--json"});
        runs.add(new String[] {"devices"});
        return runs;
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: CdsTraining HOST-IMAGE");
            System.exit(2);
        }
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        for (String[] run : commands(args[0])) {
            // A command that fails here (no /sys in a build container, say) still loaded what it ran.
            Main.run(run, discard, discard);
        }
    }
}
