package org.ddabridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** Completion and man page: generated from the parser's model, checked with the real bash and groff. */
class DocsTest {
    private static Set<String> subcommands() {
        Set<String> s = new TreeSet<>();
        Main.commandLine().getSubcommands().forEach((name, cl) -> {
            if (!cl.getCommandSpec().usageMessage().hidden() && !name.equals("help")) {
                s.add(name);
            }
        });
        return s;
    }

    /** Runs bash with the completion script sourced and prints COMPREPLY for the words given. */
    private static List<String> complete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        String prog = "source '" + script + "'\n"
                + "COMP_WORDS=(" + line + ")\nCOMP_CWORD=" + (words.length - 1) + "\nCOMP_LINE='" + line + "'\n"
                + "COMP_POINT=${#COMP_LINE}\n_complete_ddabridge\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process p = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", prog).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void bashCompletionCompletesCommandsAndOptions(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("ddabridge.bash");
        Files.writeString(script, Docs.bashCompletion());
        List<String> commands = complete(script, "ddabridge", "\"\"");
        assertEquals(subcommands(), new TreeSet<>(commands.stream().filter(subcommands()::contains).toList()),
                "completion offers: " + commands);
        assertEquals(List.of("dismount"), complete(script, "ddabridge", "dism"));
        List<String> options = complete(script, "ddabridge", "dismount", "--");
        for (String o : List.of("--what-if", "--class", "--force", "--transient", "--no-color", "--quiet", "--json")) {
            assertTrue(options.contains(o), o + " not completed: " + options);
        }
    }

    @Test
    void zshCompletionWrapsTheBashScript() {
        String z = Docs.zshCompletion();
        assertTrue(z.startsWith("#compdef ddabridge\n"), z.substring(0, 40));
        assertTrue(z.contains("bashcompinit") && z.contains("_bash_complete -F _complete_ddabridge"), "no bridge to bash");
        assertTrue(z.contains(Docs.bashCompletion()), "not the same script as bash's");
    }

    @Test
    void manPageListsEveryCommandAndOptionAndRendersCleanly(@TempDir Path dir) throws Exception {
        String man = Docs.manPage("2026-01-01");
        for (String c : subcommands()) {
            assertTrue(man.contains(".SS ddabridge " + c.replace("-", "\\-")), "no section for " + c);
        }
        for (String o : List.of("what\\-if", "state\\-dir", "no\\-color", "class", "location\\-path")) {
            assertTrue(man.contains("\\fB\\-\\-" + o + "\\fR"), "option --" + o + " missing");
        }
        assertTrue(man.contains(".SH EXIT STATUS") && man.contains(".SH ENVIRONMENT") && man.contains("NO_COLOR"), man);
        Path file = dir.resolve("ddabridge.1");
        Files.writeString(file, man);
        // groff with every warning on: an escape mistake or an unknown macro shows up on stderr.
        Process p = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals("", out.trim(), "groff warnings");
    }
}
