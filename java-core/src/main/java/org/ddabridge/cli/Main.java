package org.ddabridge.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ddabridge} command line. */
@Command(name = "ddabridge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "PCIe device pass-through: enumerate, check and assign PCI devices (Hyper-V DDA / Linux VFIO).",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:success", "1:generic failure (I/O, not supported)", "2:invalid input", "3:not found",
            "4:internal error", "5:busy (another change is running)", "6:refused by a guard"})
public final class Main implements Runnable {
    /**
     * Every subcommand, in the order help lists them. Not in the {@code @Command} annotation: picocli would
     * then build every subcommand's model by reflection at each start (a quarter of a second here, ten
     * seconds under TCG), while a one-shot run needs only the one it was asked for.
     */
    static java.util.List<Class<?>> subcommands() {
        // A method, not a constant: a one-shot run then loads only the subcommand class it runs.
        return java.util.List.of(DevicesCommand.class,
            SurveyCommand.class, DecodeCommand.class, CaptureCommand.class, ReportCommand.class,
            DismountCommand.class, MountCommand.class, PoolCommand.class, RepairCommand.class, DisableCommand.class,
            DisableCommand.Enable.class, GroupsCommand.class, MmioCommand.class, ServeCommand.class,
            VmAddCommand.class, VmRemoveCommand.class, VmListCommand.class, VmSetCommand.class,
            VersionCommand.class, CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command.");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    private static volatile java.util.Map<String, String> environment = System.getenv();

    /** The environment text output reads (COLUMNS, NO_COLOR, TERM, the launcher's TTY hints). */
    static java.util.Map<String, String> environment() {
        return environment;
    }

    /** Runs the CLI with {@code env} as its environment (tests: COLUMNS, NO_COLOR, a terminal). */
    public static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> env) {
        java.util.Map<String, String> before = environment;
        environment = env;
        try {
            return run(args, out, err);
        } finally {
            environment = before;
        }
    }

    /** Runs the CLI with the given streams (tests capture them). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // survey, devices and version with plain arguments run without picocli's model (see OneShot).
        Integer plain = OneShot.run(args, out, err);
        if (plain != null) {
            return plain;
        }
        skipUnusedConverters();
        CommandLine cl = commandLineFor(args);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> Output.usageError(ex, a, out, err));
        return cl.execute(args);
    }

    /** The whole command line, every subcommand registered (help, completion, the man page). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> sub : subcommands()) {
            cl.addSubcommand(sub);
        }
        return cl;
    }

    /**
     * The command line for these arguments: only the named subcommand when the first argument names one
     * (anything else - no argument, an option, {@code help}, a typo - gets every subcommand, so help,
     * completion and "did you mean" see them all).
     */
    static CommandLine commandLineFor(String[] args) {
        Class<?> sub = args.length > 0 ? subcommandNamed(args[0]) : null;
        if (sub == null) {
            return commandLine();
        }
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(sub);
        return cl;
    }

    /**
     * The subcommand class a one-shot run names (null for {@code help}, {@code generate-completion} and anything
     * else). A table, not a look at each class's {@code @Command}: reading the annotations of every subcommand
     * loaded them all and cost a cold start some milliseconds; CliParityTest holds it to the annotations.
     */
    static Class<?> subcommandNamed(String name) {
        return switch (name) {
            case "devices" -> DevicesCommand.class;
            case "survey" -> SurveyCommand.class;
            case "decode" -> DecodeCommand.class;
            case "capture" -> CaptureCommand.class;
            case "report" -> ReportCommand.class;
            case "dismount" -> DismountCommand.class;
            case "mount" -> MountCommand.class;
            case "pool" -> PoolCommand.class;
            case "repair" -> RepairCommand.class;
            case "disable" -> DisableCommand.class;
            case "enable" -> DisableCommand.Enable.class;
            case "groups" -> GroupsCommand.class;
            case "mmio" -> MmioCommand.class;
            case "serve" -> ServeCommand.class;
            case "vm-add" -> VmAddCommand.class;
            case "vm-remove" -> VmRemoveCommand.class;
            case "vm-list" -> VmListCommand.class;
            case "vm-set" -> VmSetCommand.class;
            case "version" -> VersionCommand.class;
            default -> null;
        };
    }

    /**
     * picocli registers a converter for every java.time and java.sql type it can find, loading (and
     * initialising: java.time's date formatters) some ninety classes at each start; no option here has such a
     * type. Its own switch for that is a system property; one set by the user is left alone.
     */
    static void skipUnusedConverters() {
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", "java\\.time\\..*,java\\.sql\\..*");
        }
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ddabridge " + (v == null ? "dev" : v)};
        }
    }
}
