package org.ddabridge.assign.linux;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
/**
 * The host-wide lock of state-changing requests: {@code FileChannel.tryLock} on {@code <stateDir>/lock}.
 * The kernel drops it when the process dies (kill -9 included), so a crash never leaves it stuck.
 */
public final class HostLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private HostLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or fails at once with {@link ErrorId#Busy}. */
    public static HostLock acquire(Path stateDir) {
        Path file = stateDir.resolve("lock");
        FileChannel ch = null;
        try {
            Files.createDirectories(stateDir);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                throw busy(file);
            }
            return new HostLock(ch, l);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw busy(file);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new EngineException(ErrorId.IoFailure, "Cannot open the lock " + file + ": " + e.getMessage(),
                    file.toString());
        } catch (EngineException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static EngineException busy(Path file) {
        return new EngineException(ErrorId.Busy,
                "Another dismount, mount or repair is running (lock " + file + " is held). Try again when it ends.",
                file.toString());
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }
}
