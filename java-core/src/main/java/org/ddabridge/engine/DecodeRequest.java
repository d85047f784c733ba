package org.ddabridge.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.driver.dump.LspciDump;
import org.ddabridge.driver.linux.SysfsPci;
import org.ddabridge.model.PciAddress;
import org.ddabridge.pci.ConfigDecoder;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.util.HostRoot;
/**
 * The engine's {@code decode} command: decodes the config space of every function of an lspci dump
 * ({@code dump}) or of a host image / this machine ({@code root}, read from
 * {@code sys/bus/pci/devices/<address>/config}). Result: {@code {"functions": [DecodedFunction...]}}.
 */
public final class DecodeRequest {
    private DecodeRequest() {
    }

    /** Engine entry point. */
    public static Object run(Args args, Progress progress) {
        args.allow(Set.of("dump", "root"));
        String dump = args.string("dump");
        if (dump != null && args.string("root") != null) {
            throw new EngineException(ErrorId.InvalidArgument,
                    "Give either a dump file or --root, not both.", "dump");
        }
        List<DecodedFunction> functions = dump != null ? fromDump(dump) : fromHost(Engine.hostRoot(args));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("functions", functions);
        return result;
    }

    /** Decodes every function of the lspci dump file {@code file}. */
    public static List<DecodedFunction> fromDump(String file) {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new EngineException(ErrorId.IoFailure, "Dump file '" + file + "' does not exist.", file);
        } catch (IOException | RuntimeException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot read dump file '" + file + "': " + e.getMessage(),
                    file);
        }
        List<DecodedFunction> out = new ArrayList<>();
        for (LspciDump.Function f : LspciDump.parse(text)) {
            out.add(ConfigDecoder.decode(f.address(), f.config()));
        }
        return out;
    }

    /** Decodes the {@code config} file of every function under the root's {@code sys/bus/pci/devices}. */
    public static List<DecodedFunction> fromHost(HostRoot root) {
        List<DecodedFunction> out = new ArrayList<>();
        for (PciAddress a : SysfsPci.listAddresses(root)) {
            out.add(ConfigDecoder.decode(a.toString(), SysfsPci.query(root, a).config()));
        }
        return out;
    }
}
