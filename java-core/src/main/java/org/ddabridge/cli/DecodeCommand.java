package org.ddabridge.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.engine.Engine;
import org.ddabridge.pci.DecodedFunction;
/** {@code decode [FILE] [--root R] [--json]}: decode config space from an lspci dump or a host image. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Decode PCI config space (header, capabilities, extended capabilities) from an "
                + "'lspci -xxx'/'-xxxx' dump FILE, or from every function of --root (default: this machine).")
final class DecodeCommand extends EngineCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "An lspci -x/-xxx/-xxxx dump.")
    String file;
    @Mixin
    CommonOptions common;

    @Override
    String command() {
        return "decode";
    }

    @Override
    JsonObject args() {
        JsonObject a = new JsonObject();
        common.addTo(a);
        if (file != null) {
            a.addProperty("dump", file);
        }
        return a;
    }

    @Override
    boolean json() {
        return common.json;
    }

    /** JSON goes through the shared path; the human form is an lspci-like listing rendered here. */
    @Override
    public Integer call() {
        if (json()) {
            return super.call();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Object result = new Engine().execute(command(), args(), Progress.NONE);
            @SuppressWarnings("unchecked")
            List<DecodedFunction> functions = (List<DecodedFunction>) ((Map<String, Object>) result).get("functions");
            functions.forEach(f -> listing(f, out));
            out.printf("%d function(s)%n", functions.size());
            out.flush();
            return ErrorId.ExitCodes.OK;
        } catch (EngineException e) {
            Output.error(e, false, out, err);
            return e.id().exitCode();
        }
    }

    /** One function the way {@code lspci -vvv} lays it out, limited to what the decoder reads. */
    static void listing(DecodedFunction f, PrintWriter out) {
        out.printf("%s %s:%s class %s header %d%s, %d bytes%n", f.address(), f.vendorId(), f.deviceId(),
                f.classCode(), f.headerType(), f.multiFunction() ? " (multi-function)" : "", f.configSize());
        if (f.bridge() != null) {
            out.printf("\tBus: primary=%02x, secondary=%02x, subordinate=%02x%n", f.bridge().primaryBus(),
                    f.bridge().secondaryBus(), f.bridge().subordinateBus());
        }
        for (Map<String, Object> cap : f.capabilities()) {
            LspciNotation.Lines l = Boolean.TRUE.equals(cap.get("truncated"))
                    ? new LspciNotation.Lines(cap.get("name") + " <truncated>", List.of()) : LspciNotation.standard(cap);
            out.printf("\tCapabilities: [%02x] %s%n", (Integer) cap.get("offset"), l.title());
            l.details().forEach(d -> out.println("\t\t" + d));
        }
        for (Map<String, Object> cap : f.extendedCapabilities()) {
            LspciNotation.Lines l = Boolean.TRUE.equals(cap.get("truncated"))
                    ? new LspciNotation.Lines(cap.get("name") + " <truncated>", List.of())
                    : LspciNotation.extended(cap, f);
            out.printf("\tCapabilities: [%03x v%s] %s%n", (Integer) cap.get("offset"), cap.get("version"), l.title());
            l.details().forEach(d -> out.println("\t\t" + d));
        }
        for (String finding : f.findings()) {
            out.printf("\t! %s%n", finding);
        }
    }
}
