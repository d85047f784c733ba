package org.ddabridge.cli;

import java.util.concurrent.Callable;

import com.google.gson.JsonObject;

import picocli.CommandLine;

import org.ddabridge.api.Envelope;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.engine.Engine;
import org.ddabridge.util.Json;
/** Base of one-shot commands: build the request args, run them through the {@link Engine}, print. */
abstract class EngineCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    DisplayOptions display = new DisplayOptions();

    /** The engine command name. */
    abstract String command();

    /** Request arguments from the options. */
    abstract JsonObject args();

    /** True when {@code --json} was given. */
    abstract boolean json();

    @Override
    public Integer call() {
        return execute(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs the command with its options set (by picocli, or by {@link OneShot}); the exit code. */
    Integer execute(java.io.PrintWriter out, java.io.PrintWriter err) {
        Term term = term();
        Progress progress = json() || term.quiet() ? Progress.NONE : Output.stderrProgress(err);
        try {
            Object result = new Engine().execute(command(), args(), progress);
            if (json()) {
                // Streamed: a large survey's JSON is never held whole as one String.
                org.ddabridge.util.Json.stream(org.ddabridge.util.Json.pretty(), Envelope.ok(null, result), out);
                out.println();
            } else {
                Output.human(command(), result, out, term);
            }
            out.flush();
            // A what-if whose real run would be refused answers with the refusal's exit code, so a script's
            // "what-if && real run" stops where the real run would.
            return AssignOutput.handles(command()) && AssignOutput.wouldRefuse(result)
                    ? ErrorId.Refused.exitCode() : ErrorId.ExitCodes.OK;
        } catch (EngineException e) {
            Output.error(e, json(), out, err);
            return e.id().exitCode();
        }
    }

    /** The text settings of this run (environment, terminal, display options). */
    Term term() {
        java.util.Map<String, String> env = Main.environment();
        return Term.of(env, Term.stdoutIsTty(env), display.noColor, display.quiet, display.verbose);
    }
}
