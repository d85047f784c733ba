package org.ddabridge.util;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ddabridge.image.HostImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** "Live" is decided by where the root really is, not by how it is spelled. */
@Timeout(10)
class HostRootLiveTest {
    @Test
    void aSymlinkToSlashIsTheLiveHost(@TempDir Path dir) throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("root"), Path.of("/"));
        assertTrue(HostRoot.of(link).isLive());
        assertTrue(HostImages.open(link.toString()).isLive());
    }

    @Test
    void procSelfRootIsTheLiveHost() {
        assertTrue(HostRoot.of(Path.of("/proc/self/root")).isLive());
        assertTrue(HostRoot.of(Path.of("/proc/self/root/")).isLive());
        assertTrue(HostRoot.of(Path.of("/usr/..")).isLive());
    }

    @Test
    void aTempDirectoryIsNotLive(@TempDir Path dir) {
        assertFalse(HostRoot.of(dir).isLive());
    }
}
