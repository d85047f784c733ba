package org.ddabridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * {@link OneShot} against picocli, the parser it stands in for: argument lists made from the options of
 * survey, devices and version and from what must not be taken (help, {@code --opt=value}, clusters, {@code @file},
 * {@code --}, an empty string, values that look like options, unknown options), every list of up to two
 * tokens and thousands of longer random ones. Whatever OneShot takes, picocli takes too, and sets the same
 * options (request arguments, JSON, display); what picocli refuses or answers with help, OneShot leaves to it.
 */
class OneShotTest {
    private static final String[] TOKENS = {
        "--json", "-q", "--quiet", "-v", "--verbose", "--no-color", "--root", "/img", "--dump", "d.txt", "--target",
        "vfio", "hyperv", "--class", "0108", "--location-path", "PCIROOT(0)#PCI(0100)", "--instance-id",
        "PCI\\VEN_8086", "0000:01:00.0", "01:00.0", "--", "-x", "@args", "--root=/img", "-qv", "", "-h", "--help",
        "-V", "--version", "--json=true", "-1", "survey"};
    private static final String[] COMMANDS = {"survey", "devices", "version"};

    @Test
    void takesOnlyWhatPicocliTakesAndSetsTheSameOptions() {
        int taken = 0;
        int total = 0;
        for (String command : COMMANDS) {
            List<String[]> lists = new ArrayList<>();
            lists.add(new String[] {command});
            for (String a : TOKENS) {
                lists.add(new String[] {command, a});
                for (String b : TOKENS) {
                    lists.add(new String[] {command, a, b});
                }
            }
            Random random = new Random(16);
            for (int n = 0; n < 300; n++) {
                String[] args = new String[2 + random.nextInt(6)];
                args[0] = command;
                for (int i = 1; i < args.length; i++) {
                    args[i] = TOKENS[random.nextInt(TOKENS.length)];
                }
                lists.add(args);
            }
            for (String[] args : lists) {
                total++;
                if (check(args)) {
                    taken++;
                }
            }
        }
        // Not vacuous: a good part of the lists are plain runs (the rest go to picocli).
        assertTrue(taken > total / 20, taken + " of " + total + " taken");
    }

    @Test
    void takesTheRunsPeopleType() {
        for (String[] args : List.of(new String[] {"survey"}, new String[] {"survey", "--json"},
                new String[] {"survey", "--json", "--root", "/tmp/host"},
                new String[] {"survey", "0000:01:00.0", "--target", "hyperv", "-v"},
                new String[] {"devices", "--json"}, new String[] {"devices", "--class", "02", "--root", "img.tar.gz"},
                new String[] {"devices", "--location-path", "A", "--location-path", "B"},
                new String[] {"version"}, new String[] {"version", "--json"})) {
            assertNotNull(OneShot.parse(args), Arrays.toString(args));
            assertTrue(check(args));
        }
        for (String[] args : List.of(new String[] {"survey", "--help"}, new String[] {"survey", "--root"},
                new String[] {"survey", "--json", "--json"}, new String[] {"version", "0000:01:00.0"},
                new String[] {"devices", "--root", "a", "--root", "b"}, new String[] {"groups"}, new String[0])) {
            assertNull(OneShot.parse(args), Arrays.toString(args));
        }
    }

    /** One list both ways; true when OneShot took it (and then agreed with picocli). */
    private static boolean check(String[] args) {
        EngineCommand fast = OneShot.parse(args);
        CommandLine cl = Main.commandLineFor(args);
        CommandLine.ParseResult parsed;
        try {
            parsed = cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            assertNull(fast, "taken, but picocli says " + e.getMessage() + ": " + Arrays.toString(args));
            return false;
        }
        CommandLine.ParseResult sub = parsed.subcommand();
        if (sub == null || parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()
                || sub.isUsageHelpRequested() || sub.isVersionHelpRequested()) {
            assertNull(fast, "taken, but picocli answers with help: " + Arrays.toString(args));
            return false;
        }
        if (fast == null) {
            return false;
        }
        Object user = sub.commandSpec().userObject();
        if (!(user instanceof EngineCommand picocli)) {
            fail("not an engine command: " + user);
            return false;
        }
        assertEquals(view(picocli), view(fast), Arrays.toString(args));
        return true;
    }

    /** What a run does with its options: command, request arguments, JSON or text, display. */
    private static List<Object> view(EngineCommand c) {
        return List.of(c.command(), c.args().toString(), c.json(), c.display.noColor, c.display.quiet,
                c.display.verbose);
    }

    @Test
    void aPlainRunPrintsWhatPicocliWouldHave() {
        // The same output through both: version's text and its JSON envelope.
        for (String[] args : List.of(new String[] {"version"}, new String[] {"version", "--json"})) {
            StringWriter viaOneShot = new StringWriter();
            PrintWriter o1 = new PrintWriter(viaOneShot);
            assertEquals(0, OneShot.run(args, o1, o1));
            StringWriter viaPicocli = new StringWriter();
            PrintWriter o2 = new PrintWriter(viaPicocli);
            CommandLine cl = Main.commandLineFor(args);
            cl.setOut(o2);
            cl.setErr(o2);
            assertEquals(0, cl.execute(args));
            o1.flush();
            o2.flush();
            assertEquals(viaPicocli.toString(), viaOneShot.toString());
        }
    }
}
