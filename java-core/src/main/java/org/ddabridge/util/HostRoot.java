package org.ddabridge.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;

/**
 * The directory treated as {@code /} for every sysfs and procfs read (like lspci's {@code -O sysfs.path}).
 *
 * <p>The live machine is {@link #live()}; a host image (a directory made by {@code capture}) is
 * {@link #of(Path)}. Every path the engine reads is built here, so no code elsewhere names {@code /sys}.
 *
 * <p><b>Containment.</b> For an image, {@link #sys}, {@link #proc} and {@link #resolve} walk the path one
 * component at a time inside the image ({@link Containment}): symlinks are followed only while they stay in
 * the image, a link that would leave it fails with {@link ErrorId#HostImageInvalid}. The returned path has
 * real directories only above its last component; a last component that is a symlink is kept (so callers can
 * read the link itself) but has been checked to lead inside. {@link SysFiles} re-checks every path it reads
 * below an image root the same way, so paths callers build further ({@code dir.resolve("config")}) are
 * contained too. For the live root nothing of this applies: the kernel's own sysfs links are trusted.
 *
 * <p>Whether a root is live is decided by its real path: {@code --root} naming a symlink to {@code /} or
 * {@code /proc/self/root} is the live machine (and its writes are guarded as such).
 */
public final class HostRoot {
    /** Every image root made in this process, by real path and by the spelling it was made with. */
    private static final Map<Path, HostRoot> IMAGES = new ConcurrentHashMap<>();

    /** Up to this many image roots, {@link #owning} compares prefixes instead of looking up each parent. */
    private static final int FEW_IMAGES = 16;

    /** More resolved directories than this and the cache starts over (a bound, not a tuning knob). */
    private static final int MAX_CACHED_DIRS = 200_000;

    private final Path root;
    private final Path given;
    private final boolean live;
    private final List<Path> aliases;
    /**
     * Image-relative directory text -> its resolved real directory, for directories whose every component
     * existed. Only the directory part of a path is cached; the last component is always looked at afresh.
     * A directory image is opened anew by each request (and the newest instance serves {@link SysFiles}), so
     * the cache lives for one request; an unpacked archive is private and never changes.
     */
    private final Map<String, Dir> dirs = new ConcurrentHashMap<>();

    /** A resolved directory with its image-relative components (what a walk below it starts from). */
    private record Dir(Path path, List<String> components) {
    }

    /**
     * What a cached directory's walk answers for its last component: only "a directory" is ever asked of it,
     * and one shared answer keeps the cache small (one per directory of a 65,536-function image was 13 MB).
     */
    private static final BasicFileAttributes A_DIRECTORY = new BasicFileAttributes() {
        private final java.nio.file.attribute.FileTime epoch = java.nio.file.attribute.FileTime.fromMillis(0);

        @Override
        public java.nio.file.attribute.FileTime lastModifiedTime() {
            return epoch;
        }

        @Override
        public java.nio.file.attribute.FileTime lastAccessTime() {
            return epoch;
        }

        @Override
        public java.nio.file.attribute.FileTime creationTime() {
            return epoch;
        }

        @Override
        public boolean isRegularFile() {
            return false;
        }

        @Override
        public boolean isDirectory() {
            return true;
        }

        @Override
        public boolean isSymbolicLink() {
            return false;
        }

        @Override
        public boolean isOther() {
            return false;
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public Object fileKey() {
            return null;
        }
    };

    private HostRoot(Path root, Path given, boolean live) {
        this.root = root;
        this.given = given;
        this.live = live;
        this.aliases = given.equals(root) ? List.of() : List.of(given);
    }

    /** The running machine's own root. Writes through it are guarded (see {@code MutationGuard}). */
    public static HostRoot live() {
        return new HostRoot(Path.of("/"), Path.of("/"), true);
    }

    /** A host image (or fake tree) rooted at {@code dir}; the live machine when {@code dir} really is {@code /}. */
    public static HostRoot of(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path real;
        try {
            real = dir.toAbsolutePath().toRealPath();
        } catch (IOException | SecurityException e) {
            real = abs;
        }
        if (real.getNameCount() == 0) {
            return live();
        }
        HostRoot r = new HostRoot(real, abs, false);
        IMAGES.put(real, r);
        if (!abs.equals(real)) {
            IMAGES.put(abs, r);
        }
        return r;
    }

    /**
     * The image root {@code file} lies under (by its text, as built from {@link #sys} and friends), or null
     * when it is under none: then it is a path of the live machine.
     */
    static HostRoot owning(Path file) {
        if (IMAGES.isEmpty() || !file.isAbsolute()) {
            return null;
        }
        if (IMAGES.size() <= FEW_IMAGES) {
            // A few roots (a serve session's): compare prefixes, cheaper than a lookup per parent directory of
            // every file read. The longest matching root is the nearest, as the walk up below finds it.
            HostRoot nearest = null;
            int depth = -1;
            for (Map.Entry<Path, HostRoot> e : IMAGES.entrySet()) {
                Path k = e.getKey();
                if (k.getNameCount() > depth && file.startsWith(k)) {
                    nearest = e.getValue();
                    depth = k.getNameCount();
                }
            }
            return nearest;
        }
        for (Path p = file; p != null && p.getNameCount() > 0; p = p.getParent()) {
            HostRoot r = IMAGES.get(p);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** True when this is the real machine rather than an image. */
    public boolean isLive() {
        return live;
    }

    /** The root directory (for an image, its real path). */
    public Path path() {
        return root;
    }

    /** {@code <root>/sys/<relative>}. */
    public Path sys(String relative) {
        return live ? root.resolve("sys").resolve(relative) : inside("sys/" + relative, false);
    }

    /** {@code <root>/proc/<relative>}. */
    public Path proc(String relative) {
        return live ? root.resolve("proc").resolve(relative) : inside("proc/" + relative, false);
    }

    /** {@code <root>/<relative>} for anything else (e.g. {@code usr/share/misc/pci.ids}). */
    public Path resolve(String relative) {
        return live ? root.resolve(relative) : inside(relative, false);
    }

    /** The PCI device directory of the bus view: {@code sys/bus/pci/devices}, links resolved. */
    public Path pciDevices() {
        return live ? root.resolve("sys/bus/pci/devices") : inside("sys/bus/pci/devices", true);
    }

    /** True when the tree has the minimum a host image needs. */
    public boolean looksLikeHost() {
        return Files.isDirectory(pciDevices()) || Files.isDirectory(sys("devices"));
    }

    /**
     * {@code file} (under this image's root) resolved inside the image, following a final link when
     * {@code followFinal}, with the last component's {@code lstat} attributes when the walk saw them. Paths
     * not under the root are returned as they are.
     */
    Containment.Resolved contain(Path file, boolean followFinal) {
        Path base = live ? null : file.startsWith(root) ? root : file.startsWith(given) ? given : null;
        if (base == null) {
            return Containment.Resolved.found(file, null);
        }
        // By text: Path.relativize built a name array per call, the largest allocation of a large survey.
        return walk(relativeText(base, file), followFinal);
    }

    private Path inside(String relative, boolean followFinal) {
        return walk(relative, followFinal).path();
    }

    private Containment.Resolved walk(String relative, boolean followFinal) {
        try {
            return walk(relative, followFinal, 0);
        } catch (Containment.EscapeException e) {
            throw new EngineException(ErrorId.HostImageInvalid,
                    "The host image " + root + " is unsafe: " + e.getMessage() + ".", e.where());
        }
    }

    /** {@link #walk(String, boolean)} after {@code links} symlinks already followed on the way here. */
    private Containment.Resolved walk(String relative, boolean followFinal, int links)
            throws Containment.EscapeException {
        if (followFinal) {
            Dir dir = dirs.get(relative);
            if (dir != null) {
                return Containment.Resolved.found(dir.path(), A_DIRECTORY);
            }
        }
        int slash = relative.lastIndexOf('/');
        Dir parent = slash < 0 ? TOP : slash == 0 ? null : directory(relative.substring(0, slash), links);
        if (parent == null) {
            // Missing (or not a directory): nothing below it exists; resolve the whole path plainly.
            return Containment.resolveWithAttributes(root, aliases, List.of(), relative, followFinal);
        }
        String name = slash <= 0 ? relative : relative.substring(slash + 1);
        Containment.Resolved r = last(parent, relative, name, followFinal, links);
        if (followFinal && r.attributes() != null && r.attributes().isDirectory()) {
            remember(relative, r.path());
        }
        return r;
    }

    /** The image root as a resolved directory (what a walk of a one-component path starts from). */
    private static final Dir TOP = new Dir(null, List.of());

    /**
     * The last component {@code name} of {@code relative}, in the resolved directory {@code parent}. The common
     * cases are answered here with one {@code lstat}: a plain file or directory, a missing entry, and (when
     * followed) a link whose relative target stays inside by its leading {@code ..} alone, as sysfs's
     * {@code bus/pci/devices/X -> ../../../devices/...} links do: its target is spelled out from the parent's
     * real components (exact, since they hold no links) and walked like any path, so the directories it
     * passes through come from the cache. Anything else ("." or "..", an absolute target, a target that
     * climbs above the root or mixes ".." into names, too many links) is left to {@link Containment}, which
     * words the refusals.
     */
    private Containment.Resolved last(Dir parent, String relative, String name, boolean followFinal, int links)
            throws Containment.EscapeException {
        if (name.equals(".") || name.equals("..") || name.isEmpty() || name.indexOf('\\') >= 0) {
            return Containment.resolveWithAttributes(root, aliases, parent.components(), name, followFinal);
        }
        Path p = (parent.path() == null ? root : parent.path()).resolve(name);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | SecurityException e) {
            return Containment.Resolved.absent(p);
        }
        if (!a.isSymbolicLink()) {
            return Containment.Resolved.found(p, a);
        }
        if (followFinal && links < Containment.MAX_LINKS) {
            String spelled;
            try {
                spelled = spellOut(parent.components(), Files.readSymbolicLink(p).toString());
            } catch (IOException | SecurityException | UnsupportedOperationException e) {
                return Containment.Resolved.absent(p);
            }
            if (spelled != null) {
                return walk(spelled, true, links + 1);
            }
        }
        return Containment.resolveWithAttributes(root, aliases, parent.components(), name, followFinal);
    }

    /**
     * The image-relative path a relative link {@code target} in the real directory {@code dir} names, when
     * its only {@code ..} lead it and stay inside; null otherwise (left to {@link Containment}).
     */
    static String spellOut(List<String> dir, String target) {
        if (target.isEmpty() || target.startsWith("/")) {
            return null;
        }
        int keep = dir.size();
        StringBuilder rest = new StringBuilder();
        boolean named = false;
        for (String c : target.split("/")) {
            if (c.isEmpty()) {
                continue;
            }
            if (c.equals("..") || c.equals(".")) {
                if (named) {
                    return null;
                }
                if (c.equals("..") && --keep < 0) {
                    return null;
                }
                continue;
            }
            named = true;
            rest.append('/').append(c);
        }
        if (!named) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < keep; i++) {
            out.append(dir.get(i)).append('/');
        }
        return out.append(rest, 1, rest.length()).toString();
    }

    /**
     * The resolved real directory {@code relative} names (cached), or null when missing or not a directory.
     */
    private Dir directory(String relative, int links) throws Containment.EscapeException {
        Dir dir = dirs.get(relative);
        if (dir != null) {
            return dir;
        }
        Containment.Resolved r = walk(relative, true, links);
        if (r.attributes() == null || !r.attributes().isDirectory()) {
            return null;
        }
        dir = dirs.get(relative);
        return dir != null ? dir : remember(relative, r.path());
    }

    private List<String> below(Path realDir) {
        return Containment.split(relativeText(root, realDir));
    }

    /** {@code file}'s path below {@code base} as text ({@code file} was built below it): no name arrays. */
    private static String relativeText(Path base, Path file) {
        String text = file.toString();
        int from = base.toString().length();
        return text.length() > from ? text.substring(from + (text.charAt(from) == '/' ? 1 : 0)) : "";
    }

    private Dir remember(String relative, Path dir) {
        if (dirs.size() >= MAX_CACHED_DIRS) {
            dirs.clear();
        }
        Dir d = new Dir(dir, List.copyOf(below(dir)));
        dirs.put(relative, d);
        return d;
    }


    @Override
    public boolean equals(Object o) {
        return o instanceof HostRoot other && other.root.equals(root) && other.live == live;
    }

    @Override
    public int hashCode() {
        return Objects.hash(root, live);
    }

    @Override
    public String toString() {
        return live ? "/" : root.toString();
    }
}
