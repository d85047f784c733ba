package org.ddabridge.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.ddabridge.api.Progress;
import org.ddabridge.capture.HostCapture;
import org.ddabridge.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host images are plain tar archives: GNU tar must unpack them. It cannot unpack a member below a member that
 * is not a directory (a file, or a symlink it has just created: "Cannot open: Not a directory"), so neither
 * the fixtures captured in the QEMU guest nor what {@code capture} writes may hold one.
 */
class HostImageArchivesTest {
    static final Path HOSTS = Path.of(System.getProperty("ddabridge.repo", ".."), "tests", "fixtures", "hosts");
    static final List<String> FIXTURES = List.of("qemu-amd.tar.gz", "qemu-noacs.tar.gz", "qemu-reference.tar.gz");
    /**
     * Captured with no disk: behind QEMU 7.2's amd-iommu with a translated default domain, the emulated NVMe
     * controllers time out on their first command and the nvme driver removes them (see tests/fixtures/hosts).
     */
    static final String NO_DISKS = "qemu-amd.tar.gz";

    /** Problems GNU tar would hit: members below a file or symlink member, names that are both. */
    static List<String> membersBelowNonDirectories(Path archive) throws IOException {
        List<String> bad = new ArrayList<>();
        Map<String, Character> types = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            Tar.Reader r = new Tar.Reader(in);
            for (Tar.Entry e = r.next(); e != null; e = r.next()) {
                String name = e.name().replaceAll("/+$", "");
                Character before = types.put(name, e.type());
                if (before != null && before != e.type()) {
                    bad.add(name + " is both of type '" + before + "' and of type '" + e.type() + "'");
                }
            }
        }
        types.forEach((name, type) -> {
            for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
                Character parent = types.get(name.substring(0, i));
                if (parent != null && parent != Tar.DIRECTORY) {
                    bad.add(name + " lies below " + (parent == Tar.SYMLINK ? "the symlink " : "the file ")
                            + name.substring(0, i));
                }
            }
        });
        return bad;
    }

    /** {@code tar -xzf archive -C dir} must exit 0 and print nothing. */
    static void assertGnuTarUnpacks(Path archive, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tar did not finish");
        assertEquals(0, p.exitValue(), "tar -xzf " + archive + ":\n" + output);
        assertEquals("", output, "tar -xzf " + archive);
    }

    @Test
    void capturedFixturesHaveNoMemberBelowAFileOrSymlinkAndUnpackWithTar(@TempDir Path dir) throws Exception {
        List<String> present;
        try (Stream<Path> s = Files.list(HOSTS)) {
            present = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tar.gz")).sorted().toList();
        }
        assertEquals(FIXTURES, present, "host-image fixtures in " + HOSTS);
        for (String name : FIXTURES) {
            Path archive = HOSTS.resolve(name);
            assertEquals(List.of(), membersBelowNonDirectories(archive), name);
            Path out = Files.createDirectory(dir.resolve(name));
            assertGnuTarUnpacks(archive, out);
            if (name.equals(NO_DISKS)) {
                assertFalse(Files.exists(out.resolve("sys/block")), name + " was captured without block devices");
                continue;
            }
            // The block devices' files are reached through their sys/block links, as the engine reads them.
            assertTrue(Files.readString(out.resolve("sys/block/nvme0n1/dev")).matches("\\d+:\\d+\n"), name);
            assertTrue(Files.readString(out.resolve("sys/block/nvme1n1/dev")).matches("\\d+:\\d+\n"), name);
        }
    }

    @Test
    void captureWritesBlockDeviceFilesBelowTheLinksTargets(@TempDir Path tree, @TempDir Path out) throws Exception {
        FakeSysfs fs = new FakeSysfs(tree);
        fs.function("0000:00:1c.0").ids(0x8086, 0x3b42).classCode(0x060400).driver("pcieport").group(5).add();
        fs.function("0000:01:00.0").parent("0000:00:1c.0").ids(0x144d, 0xa808).classCode(0x010802)
                .driver("nvme").group(7).add();
        String disk = fs.deviceDir("0000:01:00.0") + "/nvme/nvme0/nvme0n1";
        fs.file(disk + "/dev", "259:0\n").file(disk + "/nvme0n1p1/dev", "259:1\n");
        fs.link("sys/block/nvme0n1", "../" + disk.substring("sys/".length()));
        // A device-mapper volume on the partition: its slaves/ link lies below its sys/block link too.
        fs.file("sys/devices/virtual/block/dm-0/dev", "253:0\n");
        fs.link("sys/devices/virtual/block/dm-0/slaves/nvme0n1p1",
                "../../../../../" + disk.substring("sys/".length()) + "/nvme0n1p1");
        fs.link("sys/block/dm-0", "../devices/virtual/block/dm-0");
        Path archive = out.resolve("host.tar.gz");
        HostCapture.capture(fs.hostRoot(), archive, Progress.NONE);

        assertEquals(List.of(), membersBelowNonDirectories(archive));
        Path unpacked = Files.createDirectory(out.resolve("unpacked"));
        assertGnuTarUnpacks(archive, unpacked);
        assertEquals("259:0\n", Files.readString(unpacked.resolve("sys/block/nvme0n1/dev")));
        assertEquals("259:1\n", Files.readString(unpacked.resolve("sys/block/nvme0n1/nvme0n1p1/dev")));
        assertEquals("253:0\n", Files.readString(unpacked.resolve("sys/block/dm-0/dev")));
        assertEquals("259:1\n", Files.readString(unpacked.resolve("sys/block/dm-0/slaves/nvme0n1p1/dev")));
    }
}
