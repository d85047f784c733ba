package org.ddabridge.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.image.HostImages;
import org.ddabridge.platform.Platforms;
import org.ddabridge.util.Json;

/**
 * The checker's result is reused only while every fact it reads is equal ({@link Survey.Checked}): a host
 * image directory (read afresh by each request) changed between two surveys gives the new verdicts.
 */
class CheckedReuseTest {
    private static final Path ARCHIVE = Path.of(System.getProperty("ddabridge.repo", ".."),
            "tests/fixtures/hosts/qemu-reference.tar.gz");
    private static final String NVME = "sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0/config";

    /** The reference host as a directory image (symlinks kept), so that a test may change it. */
    private static Path directoryCopy(Path into) throws IOException {
        Path from = HostImages.open(ARCHIVE.toString()).path();
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = into.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
        return into;
    }

    private static String survey(Path root, String address) {
        SurveyReport r = Survey.ofHost(Platforms.forRoot(root.toString()),
                l -> l.stream().filter(d -> d.address().equals(address)).toList());
        StringWriter w = new StringWriter();
        Json.stream(Json.compact(), r, new java.io.PrintWriter(w));
        return w.toString();
    }

    private static String checks(Path root) {
        return Survey.ofHost(Platforms.forRoot(root.toString()), l -> List.of()).checks().toString();
    }

    @Test
    void theSameFactsGiveTheSameAnswerAndChangedConfigSpaceANewOne(@TempDir Path dir) throws IOException {
        Path root = directoryCopy(dir);
        String first = survey(root, "0000:01:00.0");
        assertEquals(first, survey(root, "0000:01:00.0"));

        // No capability list (status bit 4 clear): the same function to every other reader, but no PCI Express
        // or MSI any more, which the checker's verdict depends on.
        byte[] config = Files.readAllBytes(root.resolve(NVME));
        config[0x06] &= (byte) ~0x10;
        Files.write(root.resolve(NVME), config);
        String changed = survey(root, "0000:01:00.0");
        assertNotEquals(first, changed);
        config[0x06] |= 0x10;
        Files.write(root.resolve(NVME), config);
        assertEquals(first, survey(root, "0000:01:00.0"));
    }

    private static org.ddabridge.check.Checker.Input inputOf(Path root) {
        var backend = Platforms.forRoot(root.toString());
        var snap = backend.snapshot();
        return backend.facts(snap, new org.ddabridge.platform.spi.HostFactsVisitor<org.ddabridge.check.Checker.Input>() {
            @Override
            public org.ddabridge.check.Checker.Input pciHost(org.ddabridge.platform.spi.PciHostFacts f) {
                java.util.Map<String, String> parents = new java.util.HashMap<>();
                snap.devices().forEach(d -> {
                    if (d.parent() != null) {
                        parents.put(d.address(), d.parent());
                    }
                });
                return new org.ddabridge.check.Checker.Input(snap.devices(), snap.configSpaces(), parents, f.iommu(),
                        f.hostUse(), f.dmar(), f.ivrs());
            }

            @Override
            public org.ddabridge.check.Checker.Input windowsHost(org.ddabridge.model.windows.WindowsHost w) {
                throw new AssertionError("not a Windows host");
            }
        });
    }

    @Test
    void twoReadsOfAnUnchangedHostAreEqualInValue(@TempDir Path dir) throws IOException {
        // Else the reuse would never happen outside archives: every fact (the DMAR scopes' paths too) by value.
        Path root = directoryCopy(dir);
        org.ddabridge.check.Checker.Input a = inputOf(root);
        org.ddabridge.check.Checker.Input b = inputOf(root);
        assertNotEquals(System.identityHashCode(a.dmar()), System.identityHashCode(b.dmar()));
        assertEquals(true, Survey.Checked.sameInput(a, b));
    }

    @Test
    void aChangedKernelCommandLineGivesNewHostChecks(@TempDir Path dir) throws IOException {
        Path root = directoryCopy(dir);
        String first = checks(root);
        assertEquals(first, checks(root));
        String cmdline = Files.readString(root.resolve("proc/cmdline"));
        assertNotEquals(cmdline, cmdline.replace("intel_iommu=on", "intel_iommu=off"));
        Files.writeString(root.resolve("proc/cmdline"), cmdline.replace("intel_iommu=on", "intel_iommu=off"));
        // The checker's host checks (not the host facts the survey copies): IommuEnabled reads the command line.
        assertNotEquals(first, checks(root));
    }
}
