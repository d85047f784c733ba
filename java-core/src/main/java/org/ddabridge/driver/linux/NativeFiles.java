package org.ddabridge.driver.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The few file operations Java cannot express and the assignment needs (JNA, Linux only):
 * <ul>
 *   <li>{@link #lockDirectory}: {@code flock(LOCK_EX|LOCK_NB)} on the state directory itself. A lock on a
 *       directory survives anyone deleting the files in it, so it cannot be broken by removing a lock file;
 *       the kernel drops it when the process dies.</li>
 *   <li>{@link #openForWrite}: {@code open(O_WRONLY|O_NOFOLLOW|O_NONBLOCK)}, then the opened object's real
 *       path ({@code /proc/self/fd/N}) and type are handed to a check before anything is written through the
 *       same descriptor, so what was checked is what gets written (no window for a swapped-in symlink), a
 *       final symlink is never followed and a FIFO never blocks.</li>
 * </ul>
 * Flag values are the kernel's generic ones (x86-64 and arm64 differ only in O_NOFOLLOW/O_DIRECTORY).
 */
public final class NativeFiles {
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_TRUNC = 0x200;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;
    static final int EWOULDBLOCK = 11;
    private static final boolean ARM = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT).startsWith("aarch64");
    static final int O_DIRECTORY = ARM ? 0x4000 : 0x10000;
    static final int O_NOFOLLOW = ARM ? 0x8000 : 0x20000;

    private NativeFiles() {
    }

    /** libc, with errno turned into {@link LastErrorException}. */
    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags) throws LastErrorException;

        int flock(int fd, int operation) throws LastErrorException;

        NativeLong write(int fd, byte[] buf, NativeLong count) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /** True when the native calls can be made here (Linux with a loadable libc). */
    public static boolean available() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        try {
            return LibC.INSTANCE != null;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false;
        }
    }

    /** An open descriptor; closing it releases what it holds. */
    public static final class Fd implements AutoCloseable {
        private int fd;

        private Fd(int fd) {
            this.fd = fd;
        }

        /** The real path of the opened object, as the kernel knows it. */
        public Path realPath() throws IOException {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
        }

        /** The opened object's attributes ({@code /proc/self/fd/N} leads to the object itself). */
        public BasicFileAttributes attributes() throws IOException {
            return Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class);
        }

        /** One {@code write(2)} of the whole buffer (sysfs attributes take one write); short writes continue. */
        public void write(byte[] data) throws IOException {
            int off = 0;
            while (off < data.length) {
                byte[] chunk = off == 0 ? data : java.util.Arrays.copyOfRange(data, off, data.length);
                long n;
                try {
                    n = LibC.INSTANCE.write(fd, chunk, new NativeLong(chunk.length)).longValue();
                } catch (LastErrorException e) {
                    throw new IOException(strerror(e), e);
                }
                if (n <= 0) {
                    throw new IOException("write returned " + n);
                }
                off += (int) n;
            }
        }

        @Override
        public void close() {
            if (fd >= 0) {
                try {
                    LibC.INSTANCE.close(fd);
                } catch (LastErrorException ignored) {
                    // the descriptor is gone either way
                }
                fd = -1;
            }
        }
    }

    /** Thrown by {@link #lockDirectory} when another descriptor holds the lock. */
    public static final class HeldException extends IOException {
        HeldException(String m) {
            super(m);
        }
    }

    /** {@code flock(LOCK_EX|LOCK_NB)} on {@code dir}; {@link HeldException} when someone else holds it. */
    public static Fd lockDirectory(Path dir) throws IOException {
        int fd;
        try {
            fd = LibC.INSTANCE.open(dir.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("open " + dir + ": " + strerror(e), e);
        }
        Fd handle = new Fd(fd);
        try {
            LibC.INSTANCE.flock(fd, LOCK_EX | LOCK_NB);
            return handle;
        } catch (LastErrorException e) {
            handle.close();
            if (e.getErrorCode() == EWOULDBLOCK) {
                throw new HeldException(dir + " is locked by another process");
            }
            throw new IOException("flock " + dir + ": " + strerror(e), e);
        }
    }

    /**
     * Opens an existing {@code file} for writing without following a final symlink and without blocking, and
     * returns the descriptor for the caller to check ({@link Fd#realPath}, {@link Fd#attributes}) and write.
     * A symlink as last component fails with ELOOP, a FIFO without a reader with ENXIO.
     */
    public static Fd openForWrite(Path file, boolean truncate) throws IOException {
        try {
            return new Fd(LibC.INSTANCE.open(file.toString(),
                    O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | (truncate ? O_TRUNC : 0)));
        } catch (LastErrorException e) {
            throw new IOException("open " + file + ": " + strerror(e), e);
        }
    }

    private static String strerror(LastErrorException e) {
        return switch (e.getErrorCode()) {
            case 40 -> "it is a symbolic link (not followed)";
            case 6 -> "no reader on a FIFO";
            case 2 -> "No such file or directory";
            case 13 -> "Permission denied";
            case 16 -> "Device or resource busy";
            case 19 -> "No such device";
            case 21 -> "Is a directory";
            default -> "errno " + e.getErrorCode();
        };
    }
}
