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
import org.ddabridge.pci.StandardCapabilities;
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

    static void listing(DecodedFunction f, PrintWriter out) {
        out.printf("%s %s:%s class %s header %d%s, %d bytes%n", f.address(), f.vendorId(), f.deviceId(),
                f.classCode(), f.headerType(), f.multiFunction() ? " (multi-function)" : "", f.configSize());
        if (f.bridge() != null) {
            out.printf("  Bus: primary=%02x secondary=%02x subordinate=%02x%n", f.bridge().primaryBus(),
                    f.bridge().secondaryBus(), f.bridge().subordinateBus());
        }
        for (Map<String, Object> cap : f.capabilities()) {
            out.printf("  [%02x] %s%s%n", (Integer) cap.get("offset"), cap.get("name"), detail(cap, f));
        }
        for (Map<String, Object> cap : f.extendedCapabilities()) {
            out.printf("  [%03x v%s] %s%s%n", (Integer) cap.get("offset"), cap.get("version"), cap.get("name"),
                    detail(cap, f));
        }
        for (String finding : f.findings()) {
            out.printf("  ! %s%n", finding);
        }
    }

    /** A one-line summary of the fields the checks use, for the capabilities that have one. */
    private static String detail(Map<String, Object> cap, DecodedFunction f) {
        if (Boolean.TRUE.equals(cap.get("truncated"))) {
            return " <truncated>";
        }
        int id = (Integer) cap.get("id");
        boolean extended = f.extendedCapabilities().contains(cap);
        if (extended) {
            return switch (id) {
                case 0x0d -> " cap " + f.acs().capability() + " ctl " + f.acs().control();
                case 0x10 -> String.format(" TotalVFs=%d NumVFs=%d VF %s", f.sriov().totalVfs(), f.sriov().numVfs(),
                        f.sriov().vfDeviceId());
                default -> "";
            };
        }
        return switch (id) {
            case StandardCapabilities.POWER_MANAGEMENT -> " v" + cap.get("version") + " NoSoftRst"
                    + sign(cap.get("noSoftReset"));
            case StandardCapabilities.MSI -> " Count=" + cap.get("count") + " 64bit" + sign(cap.get("is64Bit"))
                    + " Maskable" + sign(cap.get("perVectorMask"));
            case StandardCapabilities.MSIX -> " Count=" + cap.get("tableSize") + " Enable" + sign(cap.get("enabled"));
            case StandardCapabilities.PCI_EXPRESS -> String.format(" v%s %s FLReset%s Link %s x%s (max %s x%s)",
                    cap.get("version"), cap.get("portType"), sign(cap.get("flr")),
                    StandardCapabilities.linkSpeedName((Integer) cap.get("linkSpeed")), cap.get("linkWidth"),
                    StandardCapabilities.linkSpeedName((Integer) cap.get("linkSpeedMax")), cap.get("linkWidthMax"));
            default -> "";
        };
    }

    private static String sign(Object flag) {
        return Boolean.TRUE.equals(flag) ? "+" : "-";
    }
}
