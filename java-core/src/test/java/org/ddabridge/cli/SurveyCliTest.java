package org.ddabridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.testing.QemuReferenceHost;
/** {@code survey} through the command line: text rendering, JSON envelope, --dump and its errors. */
class SurveyCliTest {
    @TempDir
    Path dir;

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new String[] {String.valueOf(rc), out.toString(), err.toString()};
    }

    static Path dump(String name) {
        return Path.of(System.getProperty("ddabridge.repo", ".."), "tests", "fixtures", "lspci", name);
    }

    @Test
    void textSurveyOfAHostImageHasChecksVerdictsAndReasons() {
        QemuReferenceHost.build(dir, false);
        String[] r = run("survey", "--root", dir.toString());
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        assertTrue(out.contains("CHECK"), out);
        assertTrue(out.contains("InterruptRemapping  pass"), out);
        assertTrue(out.contains("VERDICT"), out);
        assertTrue(out.contains("0000:06:01.0  AssignableWithWarnings (vfio)"), out);
        assertTrue(out.contains("! BehindPciBridge"), out);
        String[] hv = run("survey", "--root", dir.toString(), "--target", "hyperv");
        assertEquals("0", hv[0], hv[2]);
        // Hyper-V does not run on a Linux host: the headline says so; Hyper-V's own rules refuse the ne2k too
        assertTrue(hv[1].contains("0000:06:01.0  NotAssignable (hyperv)"), hv[1]);
        assertTrue(hv[1].contains("x HostNotReady"), hv[1]);
        assertTrue(hv[1].contains("x BehindPciBridge"), hv[1]);
        String[] bad = run("survey", "--json", "--root", dir.toString(), "--target", "kvm");
        assertEquals("2", bad[0]);
        assertTrue(bad[1].contains("InvalidArgument"), bad[1]);
        assertTrue(out.contains("must move with: 0000:03:00.1"), out);
        assertTrue(out.contains("20 PCI function(s): "), out);
    }

    @Test
    void aBlockingHostCheckShowsInTheTextHeadlineWithItsRemediationAndTheDeviceAloneVerdict() {
        // the reference guest booted with intremap=off: no IR- chips, no "Enabled IRQ remapping", and
        // vfio_iommu_type1 without allow_unsafe_interrupts (as the nointremap e2e topology shows)
        QemuReferenceHost.build(dir, false)
                .file("proc/interrupts", "           CPU0\n 24:  0  PCI-MSI 1048576-edge  nvme0q0\n")
                .file("dmesg.txt", "[    0.010000] DMAR: IOMMU enabled\n")
                .file("sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "N\n");
        String[] r = run("survey", "--root", dir.toString());
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        assertTrue(out.contains("InterruptRemapping  fail"), out);
        assertTrue(out.contains("0000:01:00.0  NotAssignable (vfio; the device alone: Assignable)"), out);
        assertTrue(out.contains("x HostNotReady               Not assignable on this host now: host check "
                + "InterruptRemapping fails"), out);
        assertTrue(out.contains("    fix: Do not boot with intremap=off / nointremap"), out);
        // bridges stay out of the detail list although the host check adds an error to them too
        assertFalse(out.contains("0000:00:02.0  NotAssignable"), out);
        assertTrue(out.contains(": 0 Assignable, 0 AssignableWithWarnings, 20 NotAssignable"), out);
    }

    @Test
    void textAndJsonSurveyOfAWindowsRecording() {
        Path fixture = Path.of(System.getProperty("ddabridge.repo", ".."), "tests", "fixtures", "windows",
                "conventional-pci.windows.json");
        String[] r = run("survey", "--root", fixture.toString());
        assertEquals("0", r[0], r[2]);
        String out = r[1];
        assertTrue(out.contains("Host        WS-LEGACY (windows 10.0.19045)"), out);
        assertTrue(out.contains("IovSupport     pass"), out);
        assertTrue(out.contains("0000:06:00.0  NotAssignable"), out);
        assertTrue(out.contains("x ConventionalPci            Old-style PCI device, switch port, etc. Not assignable."),
                out);
        assertTrue(out.contains("3 PCI function(s): 0 Assignable, 0 AssignableWithWarnings, 3 NotAssignable"), out);
        String[] j = run("survey", "--json", "--root", fixture.toString());
        assertEquals("0", j[0], j[2]);
        JsonObject result = JsonParser.parseString(j[1]).getAsJsonObject().getAsJsonObject("result");
        assertEquals("IovSupport", result.getAsJsonObject("host").getAsJsonArray("checks").get(1).getAsJsonObject()
                .get("id").getAsString());
        JsonObject card = result.getAsJsonArray("devices").get(2).getAsJsonObject();
        assertEquals("0000:06:00.0", card.get("address").getAsString());
        assertEquals("0000:05:00.0", card.get("parent").getAsString());
        assertEquals("NotAssignable", card.get("verdict").getAsString());
        assertEquals("DEVPKEY_PciDevice_DeviceType", card.getAsJsonArray("reasons").get(1).getAsJsonObject()
                .getAsJsonArray("evidence").get(0).getAsJsonObject().get("source").getAsString());
        assertEquals("[]", card.get("predictedIommuGroup").toString());
        assertEquals(3, result.getAsJsonObject("summary").get("NotAssignable").getAsInt());
    }

    @Test
    void jsonSurveyOfADump() {
        String[] r = run("survey", "--json", "--dump", dump("tree-fsl-p2020").toString(), "0002:01:00.0");
        assertEquals("0", r[0], r[1] + r[2]);
        JsonObject result = JsonParser.parseString(r[1]).getAsJsonObject().getAsJsonObject("result");
        assertEquals("dump", result.getAsJsonObject("host").get("platform").getAsString());
        assertEquals("unknown", result.getAsJsonObject("host").getAsJsonArray("checks").get(0).getAsJsonObject()
                .get("status").getAsString());
        assertEquals(1, result.getAsJsonArray("devices").size());
        JsonObject d = result.getAsJsonArray("devices").get(0).getAsJsonObject();
        // TUSB73x0 behind a root port without ACS: Hyper-V refuses it; VFIO takes it (only the port shares the
        // group, and it stays). A dump has no host checks to block, so the headline is VFIO's.
        assertEquals("NotAssignable", d.getAsJsonObject("targets").getAsJsonObject("hyperv").get("verdict")
                .getAsString());
        assertEquals("Assignable", d.getAsJsonObject("targets").getAsJsonObject("vfio").get("verdict").getAsString());
        assertEquals("Assignable", d.get("verdict").getAsString());
        assertEquals("vfio", result.get("target").getAsString());
        assertEquals("[\"0002:00:00.0\",\"0002:01:00.0\"]", d.get("predictedIommuGroup").toString());
        assertTrue(d.get("mmio").isJsonNull());
        assertEquals(1, result.getAsJsonObject("summary").get("Assignable").getAsInt(), "the summary counts headlines");
    }

    @Test
    void notADump() throws Exception {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "hello\n");
        String[] r = run("survey", "--json", "--dump", f.toString());
        assertEquals("2", r[0]);
        assertTrue(r[1].contains("DumpInvalid"), r[1]);
        String[] missing = run("survey", "--dump", dir.resolve("nope").toString());
        assertEquals("3", missing[0], missing[2]);
    }
}
