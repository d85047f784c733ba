package org.ddabridge.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.Progress;
import org.ddabridge.capture.HostCapture;
import org.ddabridge.image.HostImages;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.survey.Survey;
import org.ddabridge.testing.FakeSysfs;
import org.ddabridge.util.HostRoot;

/**
 * What a request through {@link Platforms#forRoot} reads again: an unpacked archive (private, never written)
 * is read once per process, while pci.ids names, a changed archive and a directory image are read afresh.
 */
class UnchangingImageTest {
    private static FakeSysfs host(Path tree, String nvmeDriver, String cmdline) {
        FakeSysfs fs = new FakeSysfs(tree);
        fs.function("0000:00:1c.0").ids(0x8086, 0x3b42).classCode(0x060400).driver("pcieport").group(5).add();
        fs.function("0000:01:00.0").parent("0000:00:1c.0").ids(0x144d, 0xa808).classCode(0x010802)
                .driver(nvmeDriver).group(7).add();
        fs.file("proc/cmdline", cmdline + "\n");
        return fs;
    }

    private static String driverOf(HostSnapshot snap, String address) {
        for (PciDevice d : snap.devices()) {
            if (d.address().equals(address)) {
                return d.driver();
            }
        }
        throw new AssertionError("no function " + address);
    }

    @Test
    void anUnpackedArchiveIsReadOnceAndItsFactsKept(@TempDir Path tree, @TempDir Path out) throws IOException {
        Path archive = out.resolve("host.tar.gz");
        HostCapture.capture(host(tree, "nvme", "quiet").hostRoot(), archive, Progress.NONE);
        HostSnapshot first = Platforms.forRoot(archive.toString()).snapshot();
        assertEquals("nvme", driverOf(first, "0000:01:00.0"));
        assertEquals("quiet", first.host().commandLine());

        // Nothing in the engine writes into the unpacked copy; if something did, the kept reads stay.
        HostRoot unpacked = HostImages.open(archive.toString());
        assertTrue(HostImages.isUnpackedArchive(unpacked));
        Files.writeString(unpacked.path().resolve("proc/cmdline"), "changed\n");
        Files.delete(unpacked.path().resolve("sys/bus/pci/devices/0000:01:00.0/driver"));
        HostSnapshot second = Platforms.forRoot(archive.toString()).snapshot();
        assertEquals(first.devices(), second.devices());
        assertEquals("quiet", second.host().commandLine());
        var survey = Survey.ofHost(Platforms.forRoot(archive.toString()), l -> l);
        assertEquals("nvme", survey.reports().get(1).device().driver());
    }

    @Test
    void aRewrittenArchiveIsUnpackedAndReadAfresh(@TempDir Path tree, @TempDir Path tree2, @TempDir Path out)
            throws IOException {
        Path archive = out.resolve("host.tar.gz");
        HostCapture.capture(host(tree, "nvme", "quiet").hostRoot(), archive, Progress.NONE);
        assertEquals("nvme", driverOf(Platforms.forRoot(archive.toString()).snapshot(), "0000:01:00.0"));

        HostCapture.capture(host(tree2, "vfio-pci", "intel_iommu=on").hostRoot(), archive, Progress.NONE);
        // A later modification time, as a real rewrite has (the capture may finish within the clock's tick).
        Files.setLastModifiedTime(archive, FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() + 5000));
        HostSnapshot again = Platforms.forRoot(archive.toString()).snapshot();
        assertEquals("vfio-pci", driverOf(again, "0000:01:00.0"));
        assertEquals("intel_iommu=on", again.host().commandLine());
    }

    @Test
    void pciIdsNamesAreLookedUpOnEveryRequest(@TempDir Path tree, @TempDir Path out) throws IOException {
        Path archive = out.resolve("host.tar.gz");
        HostCapture.capture(host(tree, "nvme", "quiet").hostRoot(), archive, Progress.NONE);
        Path ids = HostImages.open(archive.toString()).path().resolve("usr/share/misc/pci.ids");
        Files.createDirectories(ids.getParent());
        Files.writeString(ids, "144d  Samsung One\n\ta808  Drive One\n");
        PciDevice nvme = Platforms.forRoot(archive.toString()).snapshot().devices().get(1);
        assertEquals("Samsung One", nvme.vendorName());

        // The database may be the system's (which packages update): its names are never kept with the reads.
        Files.writeString(ids, "144d  Samsung Electronics Two\n\ta808  Drive Two\n");
        nvme = Platforms.forRoot(archive.toString()).snapshot().devices().get(1);
        assertEquals("Samsung Electronics Two", nvme.vendorName());
        assertEquals("Drive Two", nvme.deviceName());
    }

    @Test
    void aDirectoryImageIsReadAfreshByEveryRequest(@TempDir Path tree) throws IOException {
        FakeSysfs fs = host(tree, "nvme", "quiet");
        assertFalse(HostImages.isUnpackedArchive(HostImages.open(tree.toString())));
        HostSnapshot first = Platforms.forRoot(tree.toString()).snapshot();
        assertEquals("nvme", driverOf(first, "0000:01:00.0"));
        Files.delete(tree.resolve("sys/bus/pci/devices/0000:01:00.0/driver"));
        fs.file("proc/cmdline", "changed\n");
        HostSnapshot second = Platforms.forRoot(tree.toString()).snapshot();
        assertEquals(null, driverOf(second, "0000:01:00.0"));
        assertEquals("changed", second.host().commandLine());
        var survey = Survey.ofHost(Platforms.forRoot(tree.toString()), l -> l);
        assertEquals(null, survey.reports().get(1).device().driver());
    }
}
