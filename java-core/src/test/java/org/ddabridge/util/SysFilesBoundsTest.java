package org.ddabridge.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bounded, non-blocking reads, on live-machine paths and inside host images. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SysFilesBoundsTest {
    @TempDir
    Path tmp;
    private Path fifo;

    @AfterEach
    void release() {
        if (fifo != null) {
            Thread t = new Thread(() -> {
                try (OutputStream os = Files.newOutputStream(fifo)) {
                    os.flush();
                } catch (IOException ignored) {
                    // nobody blocked
                }
            });
            t.setDaemon(true);
            t.start();
        }
    }

    Path mkfifo(Path p) throws Exception {
        Process proc = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        assertTrue(proc.waitFor(5, TimeUnit.SECONDS) && proc.exitValue() == 0);
        fifo = p;
        return p;
    }

    static Path sparse(Path p, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    @Test
    void aFifoOutsideAnyImageReadsEmptyWithoutBlocking() throws Exception {
        Path f = mkfifo(tmp.resolve("live-fifo"));
        assertEquals("", SysFiles.readString(f));
        assertEquals(0, SysFiles.readPrefix(f, 4096).length);
    }

    @Test
    void aFifoInsideAnImageIsHostImageInvalid() throws Exception {
        Path img = Files.createDirectories(tmp.resolve("img"));
        HostRoot root = HostRoot.of(img);
        mkfifo(img.resolve("attr"));
        EngineException e = assertThrows(EngineException.class, () -> SysFiles.readString(root.resolve("attr")));
        assertEquals(ErrorId.HostImageInvalid, e.id());
    }

    @Test
    void prefixReadsStopAtTheirBound() throws IOException {
        Path f = sparse(tmp.resolve("config"), 10L << 30);
        assertEquals(4096, SysFiles.readPrefix(f, SysFiles.CONFIG_SPACE_BYTES).length);
        Path small = Files.write(tmp.resolve("small"), new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, SysFiles.readPrefix(small, 4096));
    }

    @Test
    void aReadOverTheCapIsAClearError() throws IOException {
        Path live = sparse(tmp.resolve("big"), SysFiles.MAX_FILE_BYTES + 1L);
        assertEquals(ErrorId.IoFailure, assertThrows(EngineException.class, () -> SysFiles.readBytes(live)).id());
        Path img = Files.createDirectories(tmp.resolve("img"));
        HostRoot root = HostRoot.of(img);
        sparse(img.resolve("big"), 10L << 30);
        assertEquals(ErrorId.HostImageTooLarge,
                assertThrows(EngineException.class, () -> SysFiles.readBytes(root.resolve("big"))).id());
        Files.write(img.resolve("ok"), new byte[SysFiles.MAX_FILE_BYTES]);
        assertEquals(SysFiles.MAX_FILE_BYTES, SysFiles.readBytes(root.resolve("ok")).length);
    }

    @Test
    void readingALinkDoesNotFollowItButReadingThroughItIsContained() throws IOException {
        Path img = Files.createDirectories(tmp.resolve("img"));
        HostRoot root = HostRoot.of(img);
        Files.createDirectories(img.resolve("d"));
        Files.createSymbolicLink(img.resolve("d/driver"), Path.of("/sys/bus/pci/drivers/nvme"));
        assertEquals("nvme", SysFiles.linkName(img.resolve("d/driver")));
        Files.createSymbolicLink(img.resolve("d/config"), Path.of("/dev/zero"));
        assertEquals(ErrorId.HostImageInvalid,
                assertThrows(EngineException.class, () -> SysFiles.readBytes(img.resolve("d/config"))).id());
        assertEquals(ErrorId.HostImageInvalid,
                assertThrows(EngineException.class, () -> root.resolve("d/../..")).id());
    }
}
