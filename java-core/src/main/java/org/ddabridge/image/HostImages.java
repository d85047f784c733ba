package org.ddabridge.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
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
        Path path = Path.of(spec);
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
        String key;
        try {
            FileTime mtime = Files.getLastModifiedTime(path);
            key = path.toRealPath() + "|" + mtime.toMillis() + "|" + Files.size(path);
        } catch (IOException e) {
            throw new EngineException(ErrorId.HostImageInvalid, "Cannot read '" + spec + "': " + e.getMessage(), spec);
        }
        return UNPACKED.computeIfAbsent(key, k -> unpack(path, spec));
    }

    private static HostRoot unpack(Path archive, String spec) {
        Path dir;
        try {
            dir = Files.createTempDirectory("ddabridge-image-");
        } catch (IOException e) {
            throw new EngineException(ErrorId.IoFailure, "Cannot create a temporary directory: " + e.getMessage(), spec);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            raw.mark(2);
            int b1 = raw.read();
            int b2 = raw.read();
            raw.reset();
            InputStream in = (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
            extract(new Tar.Reader(in), dir);
        } catch (IOException e) {
            deleteTree(dir);
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
     * Unpacks entries under {@code dir}. Members that would land outside it (absolute names, {@code ..})
     * and symlinks that point outside it are refused: a crafted image must not make the engine read the
     * real {@code /sys}.
     */
    static void extract(Tar.Reader reader, Path dir) throws IOException {
        Tar.Entry e;
        while ((e = reader.next()) != null) {
            Path target = safeChild(dir, e.name());
            if (target.equals(dir)) {
                continue;
            }
            switch (e.type()) {
                case Tar.DIRECTORY -> Files.createDirectories(target);
                case Tar.SYMLINK -> {
                    Path link = Path.of(e.linkTarget());
                    if (link.isAbsolute() || !target.getParent().resolve(link).normalize().startsWith(dir)) {
                        throw new IOException("symlink " + e.name() + " -> " + e.linkTarget() + " leaves the image");
                    }
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, link);
                }
                case Tar.FILE, '7' -> {
                    Files.createDirectories(target.getParent());
                    Files.write(target, e.data());
                }
                default -> {
                    // Hard links, devices, fifos: never part of a host image; skip rather than fail.
                }
            }
        }
    }

    private static Path safeChild(Path dir, String name) throws IOException {
        Path p = Path.of(name);
        Path target = dir.resolve(p).normalize();
        if (p.isAbsolute() || !target.startsWith(dir)) {
            throw new IOException("member '" + name + "' leaves the image");
        }
        return target;
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
