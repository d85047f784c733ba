package org.ddabridge.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;

/**
 * Fail-soft, bounded readers for sysfs/procfs files: a missing or unreadable file is an empty value, never
 * an exception, because sysfs attributes come and go with kernel versions and privileges.
 *
 * <p>What is never fail-soft:
 * <ul>
 *   <li>a file larger than {@link #MAX_FILE_BYTES} ({@link #readPrefix} instead reads a legitimately bounded
 *       file such as config space up to its bound): {@link ErrorId#HostImageTooLarge} in a host image,
 *       {@link ErrorId#IoFailure} on the live machine;</li>
 *   <li>below a host image root ({@link HostRoot}): a path that leads out of the image, and anything but a
 *       regular file or a directory where a file is read (a FIFO, a device node, a socket):
 *       {@link ErrorId#HostImageInvalid}. Such files are recognised with {@code lstat} and never opened, so
 *       a FIFO cannot block a read and {@code /dev/zero} cannot feed one.</li>
 * </ul>
 * On the live machine only regular files are opened (checked first, links followed: the kernel's sysfs is
 * trusted); anything else reads as empty.
 */
public final class SysFiles {
    /** The most any one file may hold (sysfs attributes are a page; /proc/interrupts of a big host some MiB). */
    public static final int MAX_FILE_BYTES = 16 << 20;
    /** A PCI function's configuration space is at most this long (PCIe extended config space). */
    public static final int CONFIG_SPACE_BYTES = 4096;

    /** Reads of files up to this size go through a per-thread buffer (config space and every attribute fit). */
    private static final int SCRATCH_BYTES = 2 * CONFIG_SPACE_BYTES;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);

    private SysFiles() {
    }

    /** The whole file as bytes, or an empty array. */
    public static byte[] readBytes(Path file) {
        return read(file, MAX_FILE_BYTES, false);
    }

    /**
     * At most {@code max} bytes from the start of the file (the rest, if any, is not read), or an empty array:
     * for files whose size the kernel bounds, like {@code config} ({@link #CONFIG_SPACE_BYTES}).
     */
    public static byte[] readPrefix(Path file, int max) {
        return read(file, max, true);
    }

    /** The file as text with trailing whitespace removed, or {@code ""}. */
    public static String readString(Path file) {
        byte[] data = readBytes(file);
        int end = data.length;
        while (end > 0 && (data[end - 1] == '\n' || data[end - 1] == ' ' || data[end - 1] == 0)) {
            end--;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    /** The file's lines, or an empty list. */
    public static List<String> readLines(Path file) {
        String s = readString(file);
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    /** The last path element of a symlink's target (e.g. the driver name behind {@code driver}), or {@code ""}. */
    public static String linkName(Path link) {
        String target = linkTarget(link);
        Path name = target.isEmpty() ? null : Path.of(target).getFileName();
        return name == null ? "" : name.toString();
    }

    /** The raw symlink target, or {@code ""}. */
    public static String linkTarget(Path link) {
        try {
            // Reading a link does not follow it: only its directory needs to be inside the image.
            Path name = link.getFileName();
            Path dir = link.getParent();
            if (dir == null || name == null) {
                return Files.readSymbolicLink(link).toString();
            }
            Containment.Resolved d = contain(dir, true);
            return d.missing() ? "" : Files.readSymbolicLink(d.path().resolve(name.toString())).toString();
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return "";
        }
    }

    /** The entry names of a directory, sorted; empty when it is absent or unreadable. */
    public static List<String> listNames(Path dir) {
        Containment.Resolved d = contain(dir, true);
        if (d.missing()) {
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(d.path())) {
            for (Path p : ds) {
                out.add(p.getFileName().toString());
            }
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    public static boolean exists(Path file) {
        Containment.Resolved r = contain(file, false);
        return !r.missing() && (r.attributes() != null || Files.exists(r.path(), LinkOption.NOFOLLOW_LINKS));
    }

    /** {@code file} resolved inside the host image it lies under (unchanged on the live machine). */
    private static Containment.Resolved contain(Path file, boolean followFinal) {
        HostRoot owner = HostRoot.owning(file);
        return owner == null ? Containment.Resolved.found(file, null) : owner.contain(file, followFinal);
    }

    private static byte[] read(Path file, int max, boolean truncate) {
        try {
            byte[] data = read(file, max, truncate, true);
            return data == null ? new byte[0] : data;
        } catch (IOException | SecurityException e) {
            return new byte[0];
        }
    }

    /**
     * The whole file, like {@link #readBytes}, for callers that must tell "unreadable" from "empty": an
     * unreadable or non-regular file is an {@link IOException}. The same caps and containment apply.
     */
    public static byte[] readOrThrow(Path file) throws IOException {
        byte[] data = read(file, MAX_FILE_BYTES, false, false);
        if (data == null) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        return data;
    }

    /** The file's bytes; null when the walk inside an image already found that it does not exist. */
    private static byte[] read(Path file, int max, boolean truncate, boolean softOther) throws IOException {
        HostRoot owner = HostRoot.owning(file);
        Containment.Resolved resolved = owner == null ? null : owner.contain(file, true);
        if (resolved != null && resolved.missing()) {
            return null;
        }
        Path p = owner == null ? file : resolved.path();
        // In an image the resolved path has no links left (the walk's own lstat says what it is); do not follow
        // one that appeared since.
        BasicFileAttributes a = owner == null ? Files.readAttributes(p, BasicFileAttributes.class)
                : resolved.attributes() != null ? resolved.attributes()
                : Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            if (owner != null && !a.isDirectory()) {
                throw new EngineException(ErrorId.HostImageInvalid, "The host image " + owner.path() + " is unsafe: '"
                        + owner.path().relativize(p) + "' is " + kind(a) + ", not a regular file.",
                        owner.path().relativize(p).toString());
            }
            if (softOther) {
                return new byte[0];
            }
            throw new IOException(p + " is not a regular file");
        }
        if (!truncate && a.size() > max) {
            throw tooLarge(owner, p, max);
        }
        try (SeekableByteChannel ch = owner == null
                ? Files.newByteChannel(p, StandardOpenOption.READ)
                : Files.newByteChannel(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            // Sized by what the file says it holds (sysfs and procfs say 4096 or 0): grow as needed up to max + 1.
            // Files that fit are read into this thread's scratch buffer and only their bytes are copied out
            // (a 4 KiB array per three-byte attribute was a tenth of what a large survey allocated).
            int cap = (int) Math.min(Math.max(a.size(), 4096), (long) max + 1);
            byte[] buf = cap <= SCRATCH_BYTES ? SCRATCH.get() : new byte[Math.max(1, cap)];
            int n = 0;
            while (true) {
                if (n == buf.length) {
                    if (n > max) {
                        break;
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, (long) max + 1));
                }
                int r = ch.read(ByteBuffer.wrap(buf, n, buf.length - n));
                if (r < 0) {
                    break;
                }
                n += r;
            }
            if (n > max) {
                if (!truncate) {
                    throw tooLarge(owner, p, max);
                }
                n = max;
            }
            return n == buf.length && buf.length > SCRATCH_BYTES ? buf : Arrays.copyOf(buf, n);
        }
    }

    private static EngineException tooLarge(HostRoot owner, Path p, int max) {
        String limit = (max >= (1 << 20) ? (max >> 20) + " MiB" : max + " bytes");
        if (owner != null) {
            String rel = owner.path().relativize(p).toString();
            return new EngineException(ErrorId.HostImageTooLarge, "The host image " + owner.path() + " holds '" + rel
                    + "', larger than the " + limit + " a host file may have.", rel);
        }
        return new EngineException(ErrorId.IoFailure, "'" + p + "' is larger than the " + limit + " read limit.",
                p.toString());
    }

    private static String kind(BasicFileAttributes a) {
        if (a.isSymbolicLink()) {
            return "a symbolic link";
        }
        return a.isOther() ? "a FIFO, socket or device node" : "not a regular file";
    }
}
