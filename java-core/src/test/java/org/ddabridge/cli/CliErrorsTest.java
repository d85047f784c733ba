package org.ddabridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.testing.FakeHosts;
/** One-shot commands: the JSON envelope and exit code for good and bad input. */
class CliErrorsTest {
    record Run(int exit, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out).getAsJsonObject();
        }

        JsonObject error() {
            return json().getAsJsonObject("error");
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(rc, out.toString(), err.toString());
    }

    @Test
    void devicesOnAHostImageIsAnOkEnvelope(@TempDir Path dir) {
        FakeHosts.smallQ35(dir);
        Run r = run("devices", "--root", dir.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.json().get("schemaVersion").getAsInt());
        assertTrue(r.json().get("ok").getAsBoolean());
        assertEquals(6, r.json().getAsJsonArray("result").size());
    }

    @Test
    void filterByShortAddressAndLocationPath(@TempDir Path dir) {
        FakeHosts.smallQ35(dir);
        Run r = run("devices", "--root", dir.toString(), "--json", "01:00.0", "--location-path",
                "pciroot(0)#pci(0300)#pci(0001)");
        assertEquals(0, r.exit(), r.err());
        var result = r.json().getAsJsonArray("result");
        assertEquals(2, result.size());
        assertEquals("0000:01:00.0", result.get(0).getAsJsonObject().get("address").getAsString());
        assertEquals("0000:02:00.1", result.get(1).getAsJsonObject().get("address").getAsString());
    }

    @Test
    void nonexistentAddressIsDeviceNotFoundWithExitCode3(@TempDir Path dir) {
        FakeHosts.smallQ35(dir);
        Run r = run("devices", "--root", dir.toString(), "--json", "0000:09:00.0");
        assertEquals(3, r.exit());
        assertFalse(r.json().get("ok").getAsBoolean());
        assertEquals("DeviceNotFound", r.error().get("id").getAsString());
        assertEquals("ObjectNotFound", r.error().get("category").getAsString());
        assertEquals("0000:09:00.0", r.error().get("target").getAsString());
    }

    @Test
    void malformedAddressIsInvalidArgument(@TempDir Path dir) {
        FakeHosts.smallQ35(dir);
        Run r = run("devices", "--root", dir.toString(), "--json", "not-an-address");
        assertEquals(2, r.exit());
        assertEquals("InvalidArgument", r.error().get("id").getAsString());
    }

    @Test
    void rootThatIsNotAHostImage(@TempDir Path dir) {
        Run r = run("survey", "--root", dir.toString(), "--json");
        assertEquals(2, r.exit());
        assertEquals("HostImageInvalid", r.error().get("id").getAsString());
        Run missing = run("survey", "--root", dir.resolve("missing").toString(), "--json");
        assertEquals(3, missing.exit());
        assertEquals("HostImageNotFound", missing.error().get("id").getAsString());
    }

    @Test
    void unknownOptionIsAnInvalidArgumentEnvelopeWhenJsonWasAsked() {
        Run r = run("devices", "--json", "--no-such-option");
        assertEquals(2, r.exit());
        assertEquals("InvalidArgument", r.error().get("id").getAsString());
    }

    @Test
    void unknownCommandWithoutJsonPrintsUsageOnStderr() {
        Run r = run("frobnicate");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("frobnicate"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void humanTableListsTheFunctions(@TempDir Path dir) {
        FakeHosts.smallQ35(dir);
        Run r = run("devices", "--root", dir.toString());
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("ADDRESS"), r.out());
        assertTrue(r.out().contains("0000:01:00.0"));
        assertTrue(r.out().contains("6 PCI function(s)"));
    }
}
