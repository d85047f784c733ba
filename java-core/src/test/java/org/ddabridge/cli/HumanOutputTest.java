package org.ddabridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.testing.FakeHosts;

/**
 * The text renderers: no JSON and no Java record strings in any result, tables fit COLUMNS, colour only on a
 * terminal and never with NO_COLOR / --no-color, --quiet and --verbose, the next command of each device.
 */
class HumanOutputTest {
    private static final Path QEMU_IMAGE = Path.of("../tests/fixtures/hosts/qemu-reference.tar.gz");
    private static final Path X99_DUMP = Path.of("../tests/fixtures/lspci-real/x99-huananzhi-qd4.lspci.gz");
    private static final String ESC = "\u001b[";

    record Run(int exit, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }
    }

    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err), env);
        return new Run(rc, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return run(Map.of(), args);
    }

    /** What a text result must never contain: a JSON object or a record's toString. */
    static void assertHuman(String what, Run r) {
        assertFalse(r.out().contains("{") || r.out().contains("}"), what + " prints JSON:\n" + r.out());
        assertFalse(r.out().matches("(?s).*[A-Za-z]+\\[[a-z][A-Za-z]*=.*"), what + " prints a record string:\n" + r.out());
        // Evidence lines quote the engine's facts as recorded (e.g. "FLR=false"); everything else is prose or flags.
        String prose = String.join("\n", r.out().lines().filter(l -> !l.contains("evidence: ")).toList());
        assertFalse(prose.contains("=true") || prose.contains("=false"), what + " prints booleans:\n" + r.out());
        assertFalse(r.out().isBlank(), what + " prints nothing");
    }

    @Test
    void everyResultHasATextForm(@TempDir Path dir) throws IOException {
        assertTrue(Files.exists(QEMU_IMAGE), "fixture missing: " + QEMU_IMAGE);
        String image = QEMU_IMAGE.toString();
        var fs = FakeHosts.smallQ35(dir.resolve("host"));
        // an IOMMU unit, so the host checks let the changes below go ahead (the what-ifs must exit 0)
        fs.dir("sys/class/iommu/dmar0");
        fs.file(fs.deviceDir("0000:02:00.0") + "/driver_override", "(null)\n");
        fs.file(fs.deviceDir("0000:02:00.1") + "/driver_override", "(null)\n");
        fs.file(fs.deviceDir("0000:01:00.0") + "/driver_override", "(null)\n");
        String root = dir.resolve("host").toString();
        String state = dir.resolve("state").toString();
        List<String[]> commands = new ArrayList<>(List.of(
                new String[] {"devices", "--root", image},
                new String[] {"survey", "--root", image},
                new String[] {"survey", "--root", image, "--verbose"},
                new String[] {"groups", "--root", image},
                new String[] {"mmio", "--root", image, "01:00.0", "03:00.0"},
                new String[] {"decode", "--root", image},
                new String[] {"version"},
                new String[] {"capture", "--root", image, "-o", dir.resolve("c.tar.gz").toString()},
                new String[] {"dismount", "--what-if", "--root", root, "--state-dir", state, "02:00.0"},
                new String[] {"disable", "--what-if", "--root", root, "--state-dir", state, "02:00.0"},
                new String[] {"dismount", "--root", root, "--state-dir", state, "02:00.0", "--verbose"},
                new String[] {"pool", "--root", root, "--state-dir", state},
                new String[] {"repair", "--what-if", "--root", root, "--state-dir", state},
                new String[] {"mount", "--what-if", "--root", root, "--state-dir", state, "02:00.0"},
                new String[] {"mount", "--root", root, "--state-dir", state, "02:00.0"},
                new String[] {"repair", "--root", root, "--state-dir", state}));
        for (String[] c : commands) {
            Run r = run(c);
            assertEquals(0, r.exit(), String.join(" ", c) + ": " + r.out() + r.err());
            assertHuman(String.join(" ", c), r);
        }
    }

    @Test
    void decodeSpeaksLspcisNotation(@TempDir Path dir) throws IOException {
        assertTrue(Files.exists(X99_DUMP), "fixture missing: " + X99_DUMP);
        Path dump = dir.resolve("x99.lspci");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(X99_DUMP))) {
            Files.copy(in, dump);
        }
        // The fixture is `lspci -vvv -xxxx` text: its own lines are what lspci printed for the same bytes.
        String lspci = Files.readString(dump);
        Run r = run("decode", dump.toString());
        assertEquals(0, r.exit(), r.err());
        assertHuman("decode", r);
        int compared = 0;
        for (String line : r.out().lines().toList()) {
            String t = line.trim();
            if (t.startsWith("ACSCap:") || t.startsWith("ACSCtl:") || t.contains("] MSI: ") || t.contains("] MSI-X: ")
                    || t.contains("] Access Control Services") || t.startsWith("Vector table:")) {
                assertTrue(lspci.contains(line), "lspci never printed: " + line);
                compared++;
            }
        }
        assertTrue(r.out().contains("ACSCap:\tSrcValid+ TransBlk+ ReqRedir+ CmpltRedir+ UpstreamFwd+"), r.out());
        assertTrue(compared > 20, "only " + compared + " lines compared");
    }

    @Test
    void tablesFitColumnsAndWrapTheReasons() {
        Map<String, String> env = Map.of("COLUMNS", "80");
        Run r = run(env, "survey", "--root", QEMU_IMAGE.toString());
        assertEquals(0, r.exit(), r.err());
        for (String line : r.out().lines().toList()) {
            assertTrue(line.length() <= 80, line.length() + " columns: " + line);
        }
        // The long Nested finding continues on a line of its own, under the FINDING column.
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("Nested ") && l.contains("warn")), r.out());
        Run wide = run(Map.of("COLUMNS", "250"), "survey", "--root", QEMU_IMAGE.toString());
        assertTrue(wide.out().contains("Intel 82574L Gigabit Network Connection"), wide.out());
        assertTrue(wide.out().lines().anyMatch(l -> l.length() > 120), "COLUMNS=250 still narrow");
        // Not a terminal and no COLUMNS: no limit, one line per row (for grep).
        Run pipe = run(Map.of(), "devices", "--root", QEMU_IMAGE.toString());
        assertTrue(pipe.out().lines().anyMatch(l -> l.contains("0000:03:00.1") && l.contains("Gigabit Network")),
                pipe.out());
    }

    @Test
    void colourOnlyOnATerminalAndNeverWithNoColor() {
        String image = QEMU_IMAGE.toString();
        Map<String, String> tty = Map.of("DDABRIDGE_TTY", "1", "DDABRIDGE_TTY_COLUMNS", "120", "TERM", "xterm");
        assertTrue(run(tty, "survey", "--root", image).out().contains(ESC), "no colour on a terminal");
        Map<String, String> noColor = new HashMap<>(tty);
        noColor.put("NO_COLOR", "1");
        assertFalse(run(noColor, "survey", "--root", image).out().contains(ESC), "NO_COLOR ignored");
        assertFalse(run(tty, "survey", "--root", image, "--no-color").out().contains(ESC), "--no-color ignored");
        assertFalse(run(Map.of("TERM", "xterm"), "survey", "--root", image).out().contains(ESC), "colour into a pipe");
        // A terminal without COLUMNS: the launcher's width.
        for (String line : run(tty, "survey", "--root", image, "--no-color").out().lines().toList()) {
            assertTrue(line.length() <= 120, line);
        }
    }

    @Test
    void quietAndVerbose() {
        String image = QEMU_IMAGE.toString();
        Run normal = run("survey", "--root", image);
        Run quiet = run("survey", "--root", image, "--quiet");
        Run verbose = run("survey", "--root", image, "-v");
        assertTrue(normal.out().contains("(VERDICT: "), normal.out());
        assertFalse(quiet.out().contains("(VERDICT: ") || quiet.out().contains("next: "), quiet.out());
        assertTrue(quiet.out().contains("0000:01:00.0"), quiet.out());
        assertTrue(verbose.out().contains("evidence: "), verbose.out());
        assertTrue(verbose.out().contains("IommuGroupAlone"), "info reasons only with --verbose");
        assertFalse(normal.out().contains("evidence: "), normal.out());
        assertTrue(normal.err().isEmpty() || quiet.err().length() <= normal.err().length(), "quiet has more progress");
    }

    @Test
    void eachAssignableDeviceSaysWhatToRunNext() {
        String image = QEMU_IMAGE.toString();
        Run j = run("survey", "--root", image, "--json", "01:00.0");
        JsonObject dev = j.json().getAsJsonObject("result").getAsJsonArray("devices").get(0).getAsJsonObject();
        String next = null;
        for (JsonElement reason : dev.getAsJsonArray("reasons")) {
            JsonElement n = reason.getAsJsonObject().get("nextCommand");
            if (n != null && !n.isJsonNull()) {
                assertEquals("IommuGroupAlone", reason.getAsJsonObject().get("code").getAsString());
                next = n.getAsString();
            }
        }
        assertEquals("ddabridge dismount 0000:01:00.0 && ddabridge vm-add --vm VM 0000:01:00.0", next);
        Run t = run("survey", "--root", image);
        assertTrue(t.out().contains("  next: " + next), t.out());
        // A device that cannot go to a VM gets no next command (its reasons say what to fix).
        String sata = t.out().substring(t.out().indexOf("\n0000:00:1f.2  NotAssignable"));
        String block = sata.substring(1, sata.indexOf("\n0000:", 1));
        assertFalse(block.contains("next: "), block);
    }

    @Test
    void whatIfTellsTheTruthAndExitsLikeTheRealRun(@TempDir Path dir) throws Exception {
        // The reference image unpacked (dismount needs a directory tree); its SATA controller shares a group
        // with the LPC bridge, so the real run is refused.
        Path root = dir.resolve("host");
        Files.createDirectories(root);
        Process tar = new ProcessBuilder("tar", "-xzf", QEMU_IMAGE.toAbsolutePath().toString(), "-C", root.toString())
                .inheritIO().start();
        assertEquals(0, tar.waitFor(), "tar");
        String state = dir.resolve("state").toString();
        Run w = run("dismount", "--what-if", "--root", root.toString(), "--state-dir", state, "00:1f.2");
        Run wj = run("dismount", "--what-if", "--root", root.toString(), "--state-dir", state, "00:1f.2", "--json");
        Run real = run("dismount", "--root", root.toString(), "--state-dir", state, "00:1f.2", "--json");
        assertEquals(6, real.exit(), real.out());
        String why = real.json().getAsJsonObject("error").get("message").getAsString();
        assertEquals(6, w.exit(), "what-if exits 0 where the real run is refused: " + w.out());
        assertTrue(w.out().contains("The real run would be refused [NotAssignable]: " + why), w.out());
        assertEquals(6, wj.exit());
        assertEquals(why, wj.json().getAsJsonObject("result").get("wouldRefuseMessage").getAsString());
        // And where the real run goes ahead, the what-if says so and exits 0.
        Run ok = run("dismount", "--what-if", "--root", root.toString(), "--state-dir", state, "01:00.0");
        assertEquals(0, ok.exit(), ok.out());
        assertTrue(ok.out().contains("The real run would go ahead."), ok.out());
    }

    @Test
    void whatIfOnThisMachineRunsTheLiveMutationGuard() {
        assertEquals(null, System.getenv("DDABRIDGE_ALLOW_LIVE_MUTATION"),
                "this test needs the live-mutation guard closed (unset DDABRIDGE_ALLOW_LIVE_MUTATION)");
        // Reads this machine's /sys only: a what-if never writes, and the guard is what it must report.
        Run devices = run("devices", "--json");
        assertEquals(0, devices.exit(), devices.out());
        String address = null;
        for (JsonElement d : devices.json().getAsJsonArray("result")) {
            JsonObject o = d.getAsJsonObject();
            if (!o.get("classCode").getAsString().startsWith("06")) {
                address = o.get("address").getAsString();
                break;
            }
        }
        assertTrue(address != null, "this machine has no PCI endpoint to plan for: " + devices.out());
        Run w = run("dismount", "--what-if", address, "--state-dir", "/nonexistent/ddabridge-state", "--json");
        assertEquals(6, w.exit(), w.out());
        JsonObject result = w.json().getAsJsonObject("result");
        assertEquals("LiveMutationNotAllowed", result.get("wouldRefuse").getAsString(), w.out());
        assertTrue(result.get("wouldRefuseMessage").getAsString().contains("DDABRIDGE_ALLOW_LIVE_MUTATION"), w.out());
    }
}
