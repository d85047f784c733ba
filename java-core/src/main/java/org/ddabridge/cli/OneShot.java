package org.ddabridge.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The plain one-shot runs of {@code survey}, {@code devices} and {@code version} - the commands people start
 * cold - with their options set here instead of by picocli.
 *
 * <p>Why: picocli builds its model of a command from the annotations, and reading annotations makes the JDK
 * spin a proxy class per annotation type; with the model building itself that was a third of a cold
 * {@code survey} of a small host (some 100 ms of 400), and no class-data sharing archive keeps those classes.
 *
 * <p>Only arguments whose meaning is beyond doubt are taken: each one exactly an option name of that command
 * (no {@code --opt=value}, no clustered {@code -qv}), a value after each option that takes one, an option
 * that takes one value at most once, and values and addresses that are not empty and start with neither
 * {@code -} nor {@code @} (picocli reads {@code @file} arguments). Anything else - help, a typo, an error to
 * report, another command - returns null and goes to picocli, which has the last word on usage.
 * OneShotTest parses thousands of argument lists both ways and holds this to picocli's result.
 */
final class OneShot {
    private OneShot() {
    }

    /** Runs {@code args} when they are a plain run of one of the commands above; null when picocli should. */
    static Integer run(String[] args, PrintWriter out, PrintWriter err) {
        EngineCommand command = parse(args);
        if (command == null) {
            return null;
        }
        try {
            return command.execute(out, err);
        } catch (RuntimeException e) {
            // What picocli does with an exception a command throws: its stack trace, exit code 1.
            e.printStackTrace(err);
            err.flush();
            return 1;
        }
    }

    /** The command with its options set from {@code args}, or null when they are not a plain run. */
    static EngineCommand parse(String[] args) {
        if (args.length == 0) {
            return null;
        }
        return switch (args[0]) {
            case "survey" -> survey(args);
            case "devices" -> devices(args);
            case "version" -> version(args);
            default -> null;
        };
    }

    private static SurveyCommand survey(String[] args) {
        SurveyCommand c = new SurveyCommand();
        c.common = new CommonOptions();
        c.selection = new SelectionOptions();
        Tokens t = new Tokens(args);
        while (t.more()) {
            String a = t.next();
            if (!(display(c.display, a, t) || common(c.common, a, t) || selection(c.selection, a, t))) {
                switch (a) {
                    case "--dump" -> c.dump = t.value(a);
                    case "--target" -> c.target = t.value(a);
                    default -> t.address(a, c.selection.addresses);
                }
            }
        }
        return t.ok ? c : null;
    }

    private static DevicesCommand devices(String[] args) {
        DevicesCommand c = new DevicesCommand();
        c.common = new CommonOptions();
        c.selection = new SelectionOptions();
        Tokens t = new Tokens(args);
        while (t.more()) {
            String a = t.next();
            if (!(display(c.display, a, t) || common(c.common, a, t) || selection(c.selection, a, t))) {
                t.address(a, c.selection.addresses);
            }
        }
        return t.ok ? c : null;
    }

    private static VersionCommand version(String[] args) {
        VersionCommand c = new VersionCommand();
        Tokens t = new Tokens(args);
        while (t.more()) {
            String a = t.next();
            if (!display(c.display, a, t)) {
                if (a.equals("--json")) {
                    c.json = t.flag(a);
                } else {
                    t.ok = false;   // version takes no addresses: picocli's error
                }
            }
        }
        return t.ok ? c : null;
    }

    /** {@link DisplayOptions}: true when {@code a} was one of them. */
    private static boolean display(DisplayOptions d, String a, Tokens t) {
        switch (a) {
            case "--no-color" -> d.noColor = t.flag(a);
            case "-q", "--quiet" -> d.quiet = t.flag("--quiet");
            case "-v", "--verbose" -> d.verbose = t.flag("--verbose");
            default -> {
                return false;
            }
        }
        return true;
    }

    /** {@link CommonOptions}: true when {@code a} was one of them. */
    private static boolean common(CommonOptions o, String a, Tokens t) {
        switch (a) {
            case "--root" -> o.root = t.value(a);
            case "--json" -> o.json = t.flag(a);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** {@link SelectionOptions} but the addresses: true when {@code a} was one of them. */
    private static boolean selection(SelectionOptions s, String a, Tokens t) {
        switch (a) {
            case "--class" -> s.deviceClass = t.value(a);
            case "--location-path" -> s.locationPaths.add(t.repeatable());
            case "--instance-id" -> s.instanceIds.add(t.repeatable());
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The arguments after the command name, and whether they are still plain. */
    private static final class Tokens {
        private final String[] args;
        private int i = 1;
        private final Set<String> seen = new HashSet<>();
        boolean ok = true;

        Tokens(String[] args) {
            this.args = args;
        }

        boolean more() {
            return ok && i < args.length;
        }

        String next() {
            return args[i++];
        }

        /** A flag: given once. */
        boolean flag(String option) {
            ok &= seen.add(option);
            return true;
        }

        /** The value of a single-value option: given once, followed by a plain value. */
        String value(String option) {
            ok &= seen.add(option);
            return repeatable();
        }

        /** The value of an option that may be given again (each time adds one). */
        String repeatable() {
            if (i >= args.length || !plain(args[i])) {
                ok = false;
                return null;
            }
            return args[i++];
        }

        /** An address (a positional parameter), when it is plain. */
        void address(String a, List<String> addresses) {
            if (plain(a)) {
                addresses.add(a);
            } else {
                ok = false;
            }
        }

        private static boolean plain(String s) {
            return !s.isEmpty() && s.charAt(0) != '-' && s.charAt(0) != '@';
        }
    }
}
