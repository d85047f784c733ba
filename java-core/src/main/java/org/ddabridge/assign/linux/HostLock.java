package org.ddabridge.assign.linux;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.driver.linux.NativeFiles;
/**
 * The host-wide lock of state-changing requests, held for the whole request (planning included), so two
 * requests can never both plan from the same state and then both act.
 *
 * <p>Two OS locks, both dropped by the kernel when the process dies (kill -9 included), so a crash never
 * leaves them stuck:
 * <ul>
 *   <li>{@code flock} on the state directory itself ({@link NativeFiles#lockDirectory}). A directory cannot be
 *       deleted while it holds files, and deleting or replacing the {@code lock} file inside it does not touch
 *       this lock, so removing the lock file never lets a second writer in;</li>
 *   <li>{@code FileChannel.tryLock} on {@code <stateDir>/lock} (never deleted), which also works where the
 *       native call is unavailable and is what older versions took.</li>
 * </ul>
 * The lock is re-entrant for the thread that holds it (a request takes it once in the service and again in
 * the executor); any other holder, another thread or process, gets {@link ErrorId#Busy} at once.
 */
public final class HostLock implements AutoCloseable {
    /** The locks this process holds, by real state directory. */
    private static final Map<Path, HostLock> HELD = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final NativeFiles.Fd dirLock;
    private final Thread owner;
    private int depth = 1;

    private HostLock(Path key, FileChannel channel, FileLock lock, NativeFiles.Fd dirLock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.dirLock = dirLock;
        this.owner = Thread.currentThread();
    }

    /** Takes the lock (or enters it again on the thread holding it) or fails at once with {@link ErrorId#Busy}. */
    public static HostLock acquire(Path stateDir) {
        Path file = stateDir.resolve("lock");
        Path key;
        try {
            Files.createDirectories(stateDir);
            key = stateDir.toRealPath();
        } catch (IOException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot create the state directory " + stateDir + ": "
                    + e.getMessage(), stateDir.toString());
        }
        synchronized (HELD) {
            HostLock held = HELD.get(key);
            if (held != null) {
                if (held.owner != Thread.currentThread()) {
                    throw busy(file, "another request of this process holds it");
                }
                held.depth++;
                return held;
            }
            HostLock l = take(key, file);
            HELD.put(key, l);
            return l;
        }
    }

    private static HostLock take(Path key, Path file) {
        NativeFiles.Fd dir = null;
        FileChannel ch = null;
        try {
            if (NativeFiles.available()) {
                dir = NativeFiles.lockDirectory(key);
            }
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                throw busy(file, "the lock file is locked by another process");
            }
            return new HostLock(key, ch, l, dir);
        } catch (NativeFiles.HeldException e) {
            release(ch, dir);
            throw busy(file, "the state directory is locked by another process");
        } catch (OverlappingFileLockException e) {
            release(ch, dir);
            throw busy(file, "this process already holds the lock file");
        } catch (IOException e) {
            release(ch, dir);
            throw new EngineException(ErrorId.IoFailure, "Cannot take the lock " + file + ": " + e.getMessage(),
                    file.toString());
        } catch (RuntimeException e) {
            release(ch, dir);
            throw e;
        }
    }

    private static EngineException busy(Path file, String why) {
        return new EngineException(ErrorId.Busy, "Another dismount, mount or repair is running (lock " + file
                + " is held: " + why + "). Try again when it ends.", file.toString());
    }

    private static void release(FileChannel ch, NativeFiles.Fd dir) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
        if (dir != null) {
            dir.close();
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (--depth > 0) {
                return;
            }
            HELD.remove(key);
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        release(channel, dirLock);
    }
}
