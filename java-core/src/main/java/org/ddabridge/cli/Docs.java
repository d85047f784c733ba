package org.ddabridge.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Shell completion and the man page, both generated from the picocli model of {@link Main}, so they list exactly
 * the commands and options the parser accepts. Completion is picocli's {@link AutoComplete} (bash; zsh runs the
 * same script through bashcompinit). The man page is written here in troff from the same model: picocli's
 * {@code ManPageGenerator} lives in picocli-codegen, which Debian's libpicocli-java does not ship (its
 * picocli-codegen jar holds only the JLine2 completer), and it writes AsciiDoc needing asciidoctor besides.
 *
 * <p>{@code java -cp ddabridge.jar org.ddabridge.cli.Docs OUTDIR} writes {@code OUTDIR/ddabridge.1},
 * {@code OUTDIR/ddabridge.bash} and {@code OUTDIR/_ddabridge} (build.sh runs it).
 */
public final class Docs {
    private Docs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Docs OUTDIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ddabridge.1"), manPage(LocalDate.now().toString()), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("ddabridge.bash"), bashCompletion(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("_ddabridge"), zshCompletion(), StandardCharsets.UTF_8);
    }

    static CommandLine commandLine() {
        return Main.commandLine();
    }

    /** picocli's bash completion script for {@code ddabridge}. */
    static String bashCompletion() {
        return AutoComplete.bash("ddabridge", commandLine());
    }

    /**
     * The zsh completion function file: zsh's bashcompinit runs the bash script, then the file's body completes
     * the current word through it (a #compdef file's body is the completion function).
     */
    static String zshCompletion() {
        return "#compdef ddabridge\n"
                + "# Generated from ddabridge's picocli model (org.ddabridge.cli.Docs); zsh runs the bash completion\n"
                + "# through bashcompinit.\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + "autoload -U +X compinit && compinit\n"
                + bashCompletion()
                + "\n_bash_complete -F _complete_ddabridge \"$@\"\n";
    }

    /** The ddabridge(1) man page in troff (man macros). */
    static String manPage(String date) {
        CommandLine cl = commandLine();
        CommandSpec root = cl.getCommandSpec();
        String version = new Main.Version().getVersion()[0].replace("ddabridge ", "");
        StringWriter s = new StringWriter();
        PrintWriter w = new PrintWriter(s);
        w.println(".\\\" Generated from ddabridge's picocli model by org.ddabridge.cli.Docs; do not edit.");
        w.printf(".TH DDABRIDGE 1 \"%s\" \"ddabridge %s\" \"User Commands\"%n", date, esc(version));
        w.println(".SH NAME");
        w.println("ddabridge \\- " + esc(String.join(" ", root.usageMessage().description())));
        w.println(".SH SYNOPSIS");
        w.println(".B ddabridge");
        w.println(".I COMMAND");
        w.println("[\\fIOPTIONS\\fR] [\\fIARGS\\fR]");
        w.println(".br");
        w.println(".B ddabridge");
        w.println("[\\fB\\-h\\fR|\\fB\\-V\\fR]");
        w.println(".SH DESCRIPTION");
        w.println("Enumerates every PCI function of a host (or of a host image, or of an lspci dump), explains whether "
                + "and how it can be handed to a virtual machine under Linux VFIO and Hyper-V DDA, and performs the "
                + "assignment with a journal and rollback. Every command prints a table for people, or the JSON "
                + "envelope with \\fB\\-\\-json\\fR.");
        w.println(".SH COMMANDS");
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (sub.usageMessage().hidden() || e.getKey().equals("help")) {
                continue;
            }
            w.println(".SS " + esc(synopsis(sub)));
            w.println(esc(String.join(" ", sub.usageMessage().description())));
            for (PositionalParamSpec p : sub.positionalParameters()) {
                if (!p.hidden()) {
                    w.println(".TP");
                    w.println("\\fI" + esc(p.paramLabel()) + "\\fR");
                    w.println(esc(String.join(" ", p.description())));
                }
            }
            for (OptionSpec o : sub.options()) {
                if (o.hidden() || o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                w.println(".TP");
                w.println(optionLabel(o));
                w.println(esc(String.join(" ", o.description())));
            }
        }
        w.println(".SH EXIT STATUS");
        for (Map.Entry<String, String> e : root.usageMessage().exitCodeList().entrySet()) {
            w.println(".TP");
            w.println(".B " + esc(e.getKey().trim()));
            w.println(esc(e.getValue()));
        }
        w.println(".SH ENVIRONMENT");
        env(w, "COLUMNS", "Width text tables fit into (cells of reasons wrap, names are cut). Unset: the terminal's "
                + "width on a terminal, no limit when the output is a pipe or a file.");
        env(w, "NO_COLOR", "When set and not empty, no colour (as \\-\\-no\\-color). Colour is used only on a terminal.");
        env(w, "DDABRIDGE_STATE_DIR", "Journal and lock directory (default /var/lib/ddabridge).");
        env(w, "DDABRIDGE_ALLOW_LIVE_MUTATION", "Set to 1 to let dismount, mount, disable, enable and repair "
                + "change this machine's PCI drivers; without it they are refused (and their \\-\\-what\\-if says so).");
        w.println(".SH EXAMPLES");
        example(w, "ddabridge survey", "What can be given to a VM here, and what to run next.");
        example(w, "ddabridge groups", "The IOMMU groups, with verdicts.");
        example(w, "ddabridge dismount 0000:01:00.0 \\-\\-what\\-if", "The plan, and whether the real run would be "
                + "refused (exit status 6).");
        example(w, "ddabridge dismount 0000:01:00.0 && ddabridge vm\\-add \\-\\-vm guest1 0000:01:00.0",
                "Give the NVMe's IOMMU group to the libvirt domain guest1.");
        w.println(".SH SEE ALSO");
        w.println(".BR lspci (8),");
        w.println(".BR virsh (1),");
        w.println(".BR qemu\\-system\\-x86_64 (1)");
        w.flush();
        return s.toString();
    }

    private static String synopsis(CommandSpec sub) {
        List<String> words = new ArrayList<>();
        words.add("ddabridge " + sub.name());
        for (PositionalParamSpec p : sub.positionalParameters()) {
            if (!p.hidden()) {
                words.add(p.arity().min > 0 ? p.paramLabel() + (p.arity().max > 1 ? "..." : "")
                        : "[" + p.paramLabel() + (p.arity().max > 1 ? "..." : "") + "]");
            }
        }
        words.add("[OPTIONS]");
        return String.join(" ", words);
    }

    private static String optionLabel(OptionSpec o) {
        StringBuilder sb = new StringBuilder();
        for (String n : o.names()) {
            sb.append(sb.length() == 0 ? "" : ", ").append("\\fB").append(esc(n)).append("\\fR");
        }
        if (o.arity().max > 0) {
            sb.append(" \\fI").append(esc(o.paramLabel())).append("\\fR");
        }
        return sb.toString();
    }

    private static void env(PrintWriter w, String name, String text) {
        w.println(".TP");
        w.println(".B " + name);
        w.println(text);
    }

    private static void example(PrintWriter w, String command, String text) {
        w.println(".TP");
        w.println(".B " + command);
        w.println(text);
    }

    /** troff escapes: backslashes, hyphens (so they copy as ASCII), and a leading dot or quote. */
    static String esc(String s) {
        String e = s.replace("\\", "\\e").replace("-", "\\-");
        return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
    }
}
