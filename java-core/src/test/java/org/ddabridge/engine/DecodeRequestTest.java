package org.ddabridge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.cli.Main;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.testing.ConfigSpaceBuilder;
/** The {@code decode} engine command and CLI on a dump file and on a fake sysfs tree. */
class DecodeRequestTest {
    // Fixture: lspci -xxx of one root port (hand-made: 8086:3a40, type 1, PCIe root port at 0x40)
    private static final String DUMP = "00:1c.0 PCI bridge: Example\n"
            + "00: 86 80 40 3a 07 04 10 00 02 00 04 06 10 00 81 00\n"
            + "10: 00 00 00 00 00 00 00 00 00 02 02 00 f0 00 00 20\n"
            + "20: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
            + "30: 00 00 00 00 40 00 00 00 00 00 00 00 00 00 00 00\n"
            + "40: 10 00 42 01 00 00 00 10 00 00 00 00 11 00 00 00\n"
            + "50: 00 00 11 00 00 00 00 00 00 00 00 00 00 00 00 00\n";

    @Test
    void decodesDumpFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("dump.txt");
        Files.writeString(file, DUMP);
        JsonObject args = new JsonObject();
        args.addProperty("dump", file.toString());
        DecodedFunction f = functions(new Engine().execute("decode", args, Progress.NONE)).get(0);
        assertEquals("0000:00:1c.0", f.address());
        assertEquals("RootPort", f.pcie().portType());
        assertTrue(f.pcie().slotImplemented());
        assertTrue(f.multiFunction());
        assertEquals(2, f.bridge().secondaryBus());
    }

    @Test
    void decodesHostImage(@TempDir Path root) throws IOException {
        Path dev = Files.createDirectories(root.resolve("sys/bus/pci/devices/0000:03:00.0"));
        Files.write(dev.resolve("config"), ConfigSpaceBuilder.endpoint(0x10de, 0x1b80).pcie(0x60, 2, 0, true).build());
        JsonObject args = new JsonObject();
        args.addProperty("root", root.toString());
        List<DecodedFunction> fs = functions(new Engine().execute("decode", args, Progress.NONE));
        assertEquals(1, fs.size());
        assertEquals("10de", fs.get(0).vendorId());
        assertTrue(fs.get(0).pcie().flr());
    }

    @Test
    void errors(@TempDir Path dir) throws IOException {
        JsonObject both = new JsonObject();
        both.addProperty("dump", "x");
        both.addProperty("root", "y");
        assertEquals(ErrorId.InvalidArgument, assertThrows(EngineException.class,
                () -> new Engine().execute("decode", both, Progress.NONE)).id());
        JsonObject missing = new JsonObject();
        missing.addProperty("dump", dir.resolve("nope").toString());
        assertEquals(ErrorId.IoFailure, assertThrows(EngineException.class,
                () -> new Engine().execute("decode", missing, Progress.NONE)).id());
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "hello\n");
        JsonObject invalid = new JsonObject();
        invalid.addProperty("dump", bad.toString());
        assertEquals(ErrorId.DumpInvalid, assertThrows(EngineException.class,
                () -> new Engine().execute("decode", invalid, Progress.NONE)).id());
    }

    @Test
    void cliHumanAndJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("dump.txt");
        Files.writeString(file, DUMP);
        StringWriter out = new StringWriter();
        int rc = Main.run(new String[] {"decode", file.toString()}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertEquals(0, rc);
        // lspci's own words for this capability (lspci -vvv prints the same line)
        assertTrue(out.toString().contains("Capabilities: [40] Express (v2) Root Port (Slot+), MSI 00"), out.toString());
        StringWriter json = new StringWriter();
        rc = Main.run(new String[] {"decode", "--json", file.toString()}, new PrintWriter(json),
                new PrintWriter(new StringWriter()));
        assertEquals(0, rc);
        assertTrue(json.toString().contains("\"portType\": \"RootPort\""), json.toString());
        assertTrue(json.toString().contains("\"extendedCapabilities\": []"), json.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<DecodedFunction> functions(Object result) {
        return (List<DecodedFunction>) ((Map<String, Object>) result).get("functions");
    }
}
