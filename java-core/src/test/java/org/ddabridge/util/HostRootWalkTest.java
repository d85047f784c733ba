package org.ddabridge.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HostRoot's own walk (the cached directories and the one-{@code lstat} answers for a last component, with
 * sysfs-style relative links spelled out from the parent's real path) gives what {@link Containment}'s full
 * walk gives, and refuses what it refuses: every case here reads through {@link SysFiles}, as the drivers do.
 */
@Timeout(10)
class HostRootWalkTest {
    @TempDir
    Path tmp;
    Path img;
    HostRoot root;

    @BeforeEach
    void image() throws IOException {
        img = Files.createDirectories(tmp.resolve("img")).toRealPath();
        Path fn = Files.createDirectories(img.resolve("sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0"));
        Files.writeString(fn.resolve("vendor"), "0x8086\n");
        Files.createDirectories(img.resolve("sys/bus/pci/devices"));
        Files.createSymbolicLink(img.resolve("sys/bus/pci/devices/0000:01:00.0"),
                Path.of("../../../devices/pci0000:00/0000:00:01.0/0000:01:00.0"));
        root = HostRoot.of(img);
    }

    String read(String rel) {
        return SysFiles.readString(root.sys(rel));
    }

    @Test
    void aSysfsStyleLinkIsFollowedToTheFunction() {
        assertEquals("0x8086", read("bus/pci/devices/0000:01:00.0/vendor"));
        assertEquals(List.of("vendor"), SysFiles.listNames(root.sys("bus/pci/devices/0000:01:00.0")));
        // Read a second time: the function's directory now comes from the cache.
        assertEquals("0x8086", read("bus/pci/devices/0000:01:00.0/vendor"));
        assertEquals(img.resolve("sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0"),
                root.contain(root.path().resolve("sys/bus/pci/devices/0000:01:00.0"), true).path());
    }

    @Test
    void missingAttributesReadEmptyAndSayMissing() {
        assertEquals("", read("bus/pci/devices/0000:01:00.0/numa_node"));
        assertEquals(List.of(), SysFiles.listNames(root.sys("bus/pci/devices/0000:01:00.0/msi_irqs")));
        assertTrue(root.contain(img.resolve("sys/bus/pci/devices/0000:01:00.0/numa_node"), true).missing());
        assertTrue(root.contain(img.resolve("sys/nothing/here/at/all"), true).missing());
        assertThrows(IOException.class, () -> SysFiles.readOrThrow(root.sys("bus/pci/devices/0000:01:00.0/irq")));
    }

    @Test
    void aLinkThatClimbsOutOfTheImageIsRefused() throws IOException {
        Files.writeString(tmp.resolve("secret"), "outside\n");
        Files.createSymbolicLink(img.resolve("sys/bus/pci/devices/0000:02:00.0"), Path.of("../../../../../secret"));
        EngineException e = assertThrows(EngineException.class, () -> read("bus/pci/devices/0000:02:00.0"));
        assertEquals(ErrorId.HostImageInvalid, e.id());
    }

    @Test
    void aLinkWhoseDotDotsFollowANameIsStillWalkedPhysically() throws IOException {
        // s -> . and esc -> s/s/s/s/../../../../..: lexically inside "sys", physically out of the image.
        Files.createSymbolicLink(img.resolve("sys/s"), Path.of("."));
        Files.createSymbolicLink(img.resolve("sys/esc"), Path.of("s/s/s/s/../../../../../secret"));
        Files.writeString(tmp.resolve("secret"), "outside\n");
        EngineException e = assertThrows(EngineException.class, () -> read("esc"));
        assertEquals(ErrorId.HostImageInvalid, e.id());
    }

    @Test
    void aLoopThroughDirectoriesEndsAsTooManyLinks() throws IOException {
        // a -> b/c and b -> a: each directory lookup follows the other's link again.
        Files.createSymbolicLink(img.resolve("sys/a"), Path.of("b/c"));
        Files.createSymbolicLink(img.resolve("sys/b"), Path.of("a"));
        EngineException e = assertThrows(EngineException.class, () -> read("a/f"));
        assertEquals(ErrorId.HostImageInvalid, e.id());
        assertTrue(e.getMessage().contains("too many levels"), e.getMessage());
    }

    @Test
    void anAbsoluteLinkNamingTheImageIsFollowedAndOneNamingTheMachineIsRefused() throws IOException {
        Files.createSymbolicLink(img.resolve("sys/in"), img.resolve("sys/devices/pci0000:00/0000:00:01.0"));
        assertEquals("0x8086", read("in/0000:01:00.0/vendor"));
        Files.createSymbolicLink(img.resolve("sys/out"), Path.of("/proc/self"));
        EngineException e = assertThrows(EngineException.class, () -> read("out/cmdline"));
        assertEquals(ErrorId.HostImageInvalid, e.id());
    }

    @Test
    void configReadsTheSameBytesThroughTheLink() throws IOException {
        byte[] config = "config-bytes".getBytes(StandardCharsets.US_ASCII);
        Files.write(img.resolve("sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/config"), config);
        assertArrayEquals(config, SysFiles.readBytes(root.sys("bus/pci/devices/0000:01:00.0/config")));
    }

    @Test
    void spellOutTakesOnlyLeadingDotDotsThatStayInside() {
        List<String> dir = List.of("sys", "bus", "pci", "devices");
        assertEquals("sys/devices/pci0000:00/0000:00:01.0",
                HostRoot.spellOut(dir, "../../../devices/pci0000:00/0000:00:01.0"));
        assertEquals("sys/bus/pci/devices/x", HostRoot.spellOut(dir, "./x"));
        assertEquals("y", HostRoot.spellOut(dir, "../../../../y"));
        assertNull(HostRoot.spellOut(dir, "../../../../../y"), "climbs above the root");
        assertNull(HostRoot.spellOut(dir, "a/../b"), "'..' after a name needs a physical walk");
        assertNull(HostRoot.spellOut(dir, "/abs/path"), "absolute targets are Containment's");
        assertNull(HostRoot.spellOut(dir, ".."), "no name: the parent itself");
    }
}
