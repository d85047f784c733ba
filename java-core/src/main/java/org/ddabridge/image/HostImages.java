package org.ddabridge.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.util.Containment;
import org.ddabridge.util.HostRoot;
/**
 * Opens what {@code --root} names: a host-image directory, or a {@code .tar.gz} / {@code .tar} made by
 * {@code capture}, which is unpacked once into a temporary directory (kept for the process's life, so a
 * serve session unpacks each archive only once).
 */
public final class HostImages {
    private static final Map<String, HostRoot> UNPACKED = new ConcurrentHashMap<>();

    private HostImages() {
    }

    /** The host root for {@code spec}; fails with a stable error id when it is not a host image. */
    public static HostRoot open(String spec) {
        Path path;
        try {
            path = Path.of(spec);
        } catch (InvalidPathException e) {
            throw new EngineException(ErrorId.HostImageNotFound, "Host image '" + spec + "' is not a valid path.", spec);
        }
        if (!Files.exists(path)) {
            throw new EngineException(ErrorId.HostImageNotFound, "Host image '" + spec + "' does not exist.", spec);
        }
        if (Files.isDirectory(path)) {
            HostRoot root = HostRoot.of(path);
            if (!root.looksLikeHost()) {
                throw new EngineException(ErrorId.HostImageInvalid,
                        "'" + spec + "' is not a host image: it has no sys/bus/pci/devices or sys/devices.", spec);
            }
            return root;
        }
        if (!Files.isRegularFile(path)) {
            // A FIFO or a device would block or never end: never opened.
            throw new EngineException(ErrorId.HostImageInvalid,
                    "'" + spec + "' is neither a directory nor a regular file (an archive): not a host image.", spec);
        }
        String key;
        try {
            FileTime mtime = Files.getLastModifiedTime(path);
            key = path.toRealPath() + "|" + mtime.toMillis() + "|" + Files.size(path);
        } catch (IOException e) {
            throw new EngineException(ErrorId.HostImageInvalid, "Cannot read '" + spec + "': " + e.getMessage(), spec);
        }
        return UNPACKED.computeIfAbsent(key, k -> unpack(path, spec));
    }

    /**
     * True when {@code root} is an archive this process unpacked: a private directory that nothing writes to
     * after the unpack (dismount, mount and repair refuse archives), so its files never change.
     */
    public static boolean isUnpackedArchive(HostRoot root) {
        return UNPACKED.containsValue(root);
    }

    private static HostRoot unpack(Path archive, String spec) {
        Path dir;
        try {
            dir = Files.createTempDirectory("ddabridge-image-").toRealPath();
        } catch (IOException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot create a temporary directory: " + e.getMessage(), spec);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        try (InputStream raw = new BufferedInputStream(
                Files.newInputStream(archive), 1 << 16)) {
            raw.mark(2);
            int b1 = raw.read();
            int b2 = raw.read();
            raw.reset();
            InputStream in = (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
            extract(new Tar.Reader(in), dir);
        } catch (Tar.TooLargeException e) {
            deleteTree(dir);
            throw new EngineException(ErrorId.HostImageTooLarge,
                    "'" + spec + "' is too large for a host image: " + e.getMessage() + ".", spec);
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            if (e instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException(ErrorId.HostImageInvalid,
                    "'" + spec + "' is not a readable host image archive: " + e.getMessage(), spec);
        }
        HostRoot root = HostRoot.of(dir);
        if (!root.looksLikeHost()) {
            deleteTree(dir);
            throw new EngineException(ErrorId.HostImageInvalid,
                    "The archive '" + spec + "' holds no sys/bus/pci/devices: not a host image.", spec);
        }
        return root;
    }

    /**
     * Unpacks entries under {@code dir} (a fresh private directory, by its real path), contained by
     * construction rather than by looking at names:
     * <ul>
     *   <li>member names are split into components; absolute names and {@code ..} components are refused;</li>
     *   <li>every directory on the way to a member is checked with {@code lstat} and created if missing; a
     *       symlink there is followed only while it stays inside the image ({@link Containment#mkdirs}), so
     *       nothing is ever written outside it; the member itself is opened with {@code O_NOFOLLOW};</li>
     *   <li>only directories, regular files and symlinks are allowed; hard links, character and block
     *       devices, FIFOs and anything else are refused by name;</li>
     *   <li>symlinks are created as they come (absolute targets are refused: capture writes relative ones);
     *       once everything is unpacked each link is resolved inside the image ({@link Containment}), and
     *       one that leads out of it fails the whole archive: a crafted image must not make the engine read
     *       the real {@code /sys}.</li>
     * </ul>
     * The {@link Tar.Reader} bounds sizes and member count and refuses truncated archives.
     */
    static void extract(Tar.Reader reader, Path dir) throws IOException {
        Tar.Entry e;
        List<Path> links = new ArrayList<>();
        while ((e = reader.next()) != null) {
            List<String> parts = memberPath(e.name());
            if (parts.isEmpty()) {
                continue;
            }
            List<String> parentParts = parts.subList(0, parts.size() - 1);
            String last = parts.get(parts.size() - 1);
            switch (e.type()) {
                case Tar.DIRECTORY -> directories(dir, parts, e.name());
                case Tar.SYMLINK -> {
                    String link = e.linkTarget();
                    if (link.isEmpty() || link.startsWith("/") || link.indexOf('\0') >= 0) {
                        throw new IOException("symlink " + e.name() + " -> " + link + " leaves the image");
                    }
                    Path target = directories(dir, parentParts, e.name()).resolve(last);
                    replaceable(target, e.name());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(link));
                    links.add(target);
                }
                case Tar.FILE, '7' -> {
                    Path target = directories(dir, parentParts, e.name()).resolve(last);
                    replaceable(target, e.name());
                    writeSparse(target, e.data());
                }
                default -> throw new IOException("member " + e.name() + " is " + typeName(e.type())
                        + ": a host image holds only directories, regular files and symlinks");
            }
        }
        for (Path link : links) {
            String rel = dir.relativize(link).toString();
            try {
                Containment.resolve(dir, List.of(), rel, true);
            } catch (Containment.EscapeException x) {
                throw new IOException("symlink " + rel + " -> " + Files.readSymbolicLink(link) + " leads out of the "
                        + "image (" + x.getMessage() + ")");
            }
        }
    }

    /**
     * Writes {@code data} to a new or truncated regular file (never through a link), leaving runs of zeros as
     * holes: a zero-filled "size bomb" below the caps costs no disk.
     */
    private static void writeSparse(Path target, byte[] data) throws IOException {
        final int chunk = 1 << 16;
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            boolean holeAtEnd = false;
            for (int off = 0; off < data.length; off += chunk) {
                int len = Math.min(chunk, data.length - off);
                holeAtEnd = isZero(data, off, len);
                if (holeAtEnd) {
                    ch.position(off + len);
                } else {
                    ByteBuffer b = ByteBuffer.wrap(data, off, len);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
            }
            if (holeAtEnd) {
                ch.write(ByteBuffer.wrap(new byte[1]), data.length - 1L); // the file's length
            }
        }
    }

    private static boolean isZero(byte[] data, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The components of a member name; absolute names, ".." and NUL are refused, "." and "" dropped. */
    private static List<String> memberPath(String name) throws IOException {
        if (name.startsWith("/") || name.indexOf('\0') >= 0) {
            throw new IOException("member '" + name + "' leaves the image");
        }
        List<String> parts = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.equals("..")) {
                throw new IOException("member '" + name + "' leaves the image");
            }
            if (!c.isEmpty() && !c.equals(".")) {
                parts.add(c);
            }
        }
        return parts;
    }

    /**
     * Makes (or checks) each directory of {@code parts} below {@code dir}. A member below a symlink (older
     * captures write {@code sys/block/X/dev} below the {@code sys/block/X} link) lands where the link leads,
     * found and created with {@link Containment#mkdirs}: links are followed only inside the image.
     */
    private static Path directories(Path dir, List<String> parts, String member) throws IOException {
        if (parts.isEmpty()) {
            return dir;
        }
        try {
            return Containment.mkdirs(dir, String.join("/", parts));
        } catch (Containment.EscapeException e) {
            throw new IOException("member " + member + " would be written outside the image: " + e.getMessage());
        } catch (IOException e) {
            throw new IOException("member " + member + ": " + e.getMessage());
        }
    }

    /** A file or link member may replace an earlier file or link of the same name, never a directory. */
    private static void replaceable(Path target, String member) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) {
                throw new IOException("member " + member + " would replace a directory");
            }
        } catch (NoSuchFileException absent) {
            // the usual case
        }
    }

    private static String typeName(char type) {
        return switch (type) {
            case '1' -> "a hard link";
            case '3' -> "a character device";
            case '4' -> "a block device";
            case '6' -> "a FIFO";
            default -> "of tar type '" + type + "'";
        };
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp dir left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // already gone
        }
    }
}
