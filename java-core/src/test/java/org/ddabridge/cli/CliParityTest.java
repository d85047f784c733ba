package org.ddabridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.engine.Engine;
import org.ddabridge.testing.FakeHosts;

/** Every engine command is a CLI subcommand, with human output that is not raw JSON. */
class CliParityTest {
    private static final Path QEMU_IMAGE = Path.of("../tests/fixtures/hosts/qemu-reference.tar.gz");
    /**
     * Engine commands that are protocol or platform plumbing rather than something an admin types: pnp, devpkeys
     * and vmhost feed DdaBridge.HyperVCompat's Windows-shaped objects (an admin asks `survey` / Test-DdaHost).
     */
    private static final Set<String> NOT_CLI = Set.of("pnp", "devpkeys", "vmhost", "vfio-status", "vm-add", "vm-remove",
            "vm-list");

    /** A one-shot run builds only the subcommand it names; anything else sees them all (help, typos). */
    @Test
    void oneShotRunsRegisterOnlyTheirSubcommand() {
        Set<String> all = Main.commandLine().getSubcommands().keySet();
        for (String name : all) {
            if (name.equals("help") || name.equals("generate-completion")) {
                assertEquals(all, Main.commandLineFor(new String[] {name}).getSubcommands().keySet(), name);
            } else {
                assertEquals(Set.of(name), Main.commandLineFor(new String[] {name, "--json"}).getSubcommands().keySet());
            }
        }
        assertEquals(all, Main.commandLineFor(new String[] {"--help"}).getSubcommands().keySet());
        assertEquals(all, Main.commandLineFor(new String[] {"surve"}).getSubcommands().keySet());
        assertEquals(all, Main.commandLineFor(new String[0]).getSubcommands().keySet());
    }

    @Test
    void everyEngineCommandIsASubcommand() {
        Set<String> cli = new TreeSet<>(Main.commandLine().getSubcommands().keySet());
        Set<String> missing = new TreeSet<>(new Engine().commandNames());
        missing.removeAll(cli);
        missing.removeAll(NOT_CLI);
        assertEquals(Set.of(), missing, "engine commands without a CLI subcommand");
    }

    @Test
    void groupsPrintsTheClassicListingAndMatchesTheKernelsGroups() {
        assertTrue(Files.exists(QEMU_IMAGE), "fixture missing: " + QEMU_IMAGE);
        CliErrorsTest.Run r = CliErrorsTest.run("groups", "--root", QEMU_IMAGE.toString());
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.out().trim().startsWith("{") || r.out().contains("\"group\""), r.out());
        // The NVMe's live group, read back from the JSON form of the same command (the kernel's group file).
        CliErrorsTest.Run j = CliErrorsTest.run("groups", "--root", QEMU_IMAGE.toString(), "--json", "01:00.0");
        JsonArray groups = j.json().getAsJsonArray("result");
        assertEquals(1, groups.size(), j.out());
        int n = groups.get(0).getAsJsonObject().get("group").getAsInt();
        assertTrue(r.out().contains("IOMMU Group " + n + ": "), r.out());
        String block = r.out().substring(r.out().indexOf("IOMMU Group " + n + ": "));
        assertTrue(block.lines().skip(1).findFirst().orElse("").contains("0000:01:00.0"), block);
    }

    @Test
    void groupsByNumberAndUnknownNumber() {
        CliErrorsTest.Run r = CliErrorsTest.run("groups", "--root", QEMU_IMAGE.toString(), "--group", "99999", "--json");
        assertEquals(3, r.exit(), r.out());
        assertEquals("DeviceNotFound", r.error().get("id").getAsString());
    }

    @Test
    void mmioPrintsTheSettingsToType() {
        CliErrorsTest.Run r = CliErrorsTest.run("mmio", "--root", QEMU_IMAGE.toString(), "01:00.0", "03:00.0");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Set-VM -VMName <vm> -LowMemoryMappedIoSpace "), r.out());
        assertTrue(r.out().contains("-global q35-pcihost.pci-hole64-size="), r.out());
        assertTrue(r.out().contains("<pcihole64 unit='KiB'>"), r.out());
        CliErrorsTest.Run none = CliErrorsTest.run("mmio", "--root", QEMU_IMAGE.toString(), "--json");
        assertEquals(2, none.exit(), none.out());
    }

    @Test
    void disableAndEnableOnAFakeTree(@TempDir Path dir) {
        var fs = FakeHosts.smallQ35(dir);
        // The kernel always has driver_override; writes never create sysfs attributes.
        fs.file(fs.deviceDir("0000:02:00.0") + "/driver_override", "(null)\n");
        String root = dir.toString();
        String state = dir.resolve("state").toString();
        CliErrorsTest.Run w = CliErrorsTest.run("disable", "02:00.0", "--root", root, "--state-dir", state, "--what-if",
                "--json");
        assertEquals(0, w.exit(), w.out() + w.err());
        JsonElement steps = w.json().getAsJsonObject("result").get("steps");
        assertTrue(steps.isJsonArray() && steps.getAsJsonArray().size() > 0, w.out());
        CliErrorsTest.Run d = CliErrorsTest.run("disable", "02:00.0", "--root", root, "--state-dir", state);
        assertEquals(0, d.exit(), d.out() + d.err());
        CliErrorsTest.Run e = CliErrorsTest.run("enable", "02:00.0", "--root", root, "--state-dir", state);
        assertEquals(0, e.exit(), e.out() + e.err());
    }

    @Test
    void everyCommandThatSelectsDevicesTakesClass(@TempDir Path dir) {
        for (String c : new String[] {"devices", "survey", "dismount", "mount", "disable", "enable", "mmio", "groups"}) {
            CliErrorsTest.Run h = CliErrorsTest.run(c, "--help");
            assertTrue(h.out().contains("--class"), c + " does not offer --class: " + h.out());
        }
        var fs = FakeHosts.smallQ35(dir);
        fs.file(fs.deviceDir("0000:02:00.0") + "/driver_override", "(null)\n");
        String root = dir.toString();
        String state = dir.resolve("state").toString();
        // Alone, --class selects every function of the class; the engine accepts it (no InvalidArgument).
        CliErrorsTest.Run w = CliErrorsTest.run("dismount", "--class", "02", "--root", root, "--state-dir", state,
                "--what-if", "--json");
        assertTrue(w.out().contains("\"ok\": true"), w.out() + w.err());
        CliErrorsTest.Run devices = CliErrorsTest.run("devices", "--class", "02", "--root", root, "--json");
        for (JsonElement d : devices.json().getAsJsonArray("result")) {
            String a = d.getAsJsonObject().get("address").getAsString();
            assertTrue(w.out().contains(a), a + " (class 02) not in the plan: " + w.out());
        }
        CliErrorsTest.Run none = CliErrorsTest.run("mount", "--class", "0c03", "--root", root, "--state-dir", state,
                "--what-if", "--json");
        assertEquals(3, none.exit(), none.out());
        assertEquals("DeviceNotFound", none.error().get("id").getAsString());
        CliErrorsTest.Run groups = CliErrorsTest.run("groups", "--class", "02", "--root", root);
        assertEquals(0, groups.exit(), groups.err());
        assertTrue(groups.out().contains("0000:02:00.0"), groups.out());
    }
}
