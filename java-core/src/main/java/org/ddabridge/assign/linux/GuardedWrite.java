package org.ddabridge.assign.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ddabridge.driver.linux.NativeFiles;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.MutationGuard;

/**
 * Every write the assignment makes to a sysfs tree (real or simulated): the path is checked first
 * ({@link MutationGuard#checkWrite}), then the file is opened without following a final symlink and without
 * blocking, the opened descriptor's real path and type are checked ({@link MutationGuard#checkOpened}), and
 * the value is written through that same descriptor. A symlink swapped in after the first check therefore
 * cannot redirect the write; an existing file is never created.
 */
final class GuardedWrite {
    private GuardedWrite() {
    }

    /** Writes {@code data} to the existing {@code file} under {@code root} (truncating it when asked). */
    static void write(HostRoot root, Path file, byte[] data, boolean truncate) throws IOException {
        MutationGuard.checkWrite(root, file);
        if (NativeFiles.available()) {
            try (NativeFiles.Fd fd = NativeFiles.openForWrite(file, truncate)) {
                MutationGuard.checkOpened(root, file, fd.realPath(), fd.attributes());
                fd.write(data);
            }
            return;
        }
        // Without the native call (not Linux): no final link followed, the parent re-checked after opening.
        Set<OpenOption> opts = new HashSet<>(List.of(StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        if (truncate) {
            opts.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        try (SeekableByteChannel ch = Files.newByteChannel(file, opts)) {
            MutationGuard.checkOpened(root, file, file.getParent().toRealPath().resolve(file.getFileName()), a);
            ch.write(ByteBuffer.wrap(data));
        }
    }
}
