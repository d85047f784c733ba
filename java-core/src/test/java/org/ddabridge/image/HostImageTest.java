package org.ddabridge.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.capture.HostCapture;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.testing.FakeSysfs;
import org.ddabridge.util.HostRoot;
class HostImageTest {
    @Test
    void captureThenOpenArchiveGivesTheSameDevices(@TempDir Path tree, @TempDir Path out) {
        FakeSysfs fs = new FakeSysfs(tree);
        fs.function("0000:00:1c.0").ids(0x8086, 0x3b42).classCode(0x060400).driver("pcieport").group(5).add();
        // Deep enough to need pax long names (> 100 characters).
        fs.function("0000:01:00.0").parent("0000:00:1c.0").ids(0x8086, 0x8c22).classCode(0x060400).add();
        fs.function("0000:02:00.0").parent("0000:01:00.0").ids(0x8086, 0x8c23).classCode(0x060400).add();
        fs.function("0000:03:00.0").parent("0000:02:00.0").ids(0x144d, 0xa808).classCode(0x010802)
                .driver("nvme").group(7).resource("0x00000000f7000000 0x00000000f7003fff 0x0000000000140204").add();
        fs.file("proc/cmdline", "quiet\n");
        Path archive = out.resolve("host.tar.gz");
        HostCapture.capture(fs.hostRoot(), archive, Progress.NONE);
        HostRoot opened = HostImages.open(archive.toString());
        HostSnapshot original = new LinuxPlatform(fs.hostRoot()).snapshot();
        HostSnapshot copy = new LinuxPlatform(opened).snapshot();
        assertEquals(original.devices(), copy.devices());
        assertEquals("quiet", copy.host().commandLine());
        assertTrue(Files.exists(opened.resolve(HostCapture.METADATA_FILE)));
    }

    @Test
    void aDirectoryWithoutSysIsNotAHostImage(@TempDir Path dir) {
        EngineException e = assertThrows(EngineException.class, () -> HostImages.open(dir.toString()));
        assertEquals(ErrorId.HostImageInvalid, e.id());
    }

    @Test
    void aMissingPathIsReportedAsNotFound(@TempDir Path dir) {
        EngineException e = assertThrows(EngineException.class,
                () -> HostImages.open(dir.resolve("nope.tar.gz").toString()));
        assertEquals(ErrorId.HostImageNotFound, e.id());
    }

    @Test
    void anArchiveWhoseSymlinkEscapesTheImageIsRefused(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            Tar.Writer w = new Tar.Writer(gz, 0);
            w.directory("sys/bus/pci/devices");
            w.symlink("sys/bus/pci/devices/0000:00:00.0", "/sys/devices/pci0000:00/0000:00:00.0");
            w.finish();
        }
        Path archive = dir.resolve("evil.tar.gz");
        Files.write(archive, bytes.toByteArray());
        EngineException e = assertThrows(EngineException.class, () -> HostImages.open(archive.toString()));
        assertEquals(ErrorId.HostImageInvalid, e.id());
    }

    @Test
    void tarRoundTripKeepsLongNamesLinksAndContent() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Tar.Writer w = new Tar.Writer(bytes, 0);
        String longName = "sys/devices/" + "x".repeat(150) + "/config";
        w.file(longName, new byte[] {1, 2, 3});
        w.symlink("a/link", "../" + "y".repeat(120));
        w.finish();
        Tar.Reader r = new Tar.Reader(new ByteArrayInputStream(bytes.toByteArray()));
        Tar.Entry f = r.next();
        assertEquals(longName, f.name());
        assertEquals(3, f.data().length);
        Tar.Entry l = r.next();
        assertEquals("a/link", l.name());
        assertEquals("../" + "y".repeat(120), l.linkTarget());
        assertEquals(null, r.next());
    }
}
