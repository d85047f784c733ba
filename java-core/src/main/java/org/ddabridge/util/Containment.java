package org.ddabridge.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path inside a host image the way the kernel would, one component at a time, except that it
 * never leaves the image: each component is looked at with {@code lstat}, a symlink is read and its target
 * spliced into the remaining components, and
 * <ul>
 *   <li>a {@code ..} above the image root is refused (it would leave the image; no capture makes one);</li>
 *   <li>an absolute link target is accepted only when it names a place inside the image by the image's own
 *       path (fake trees and the simulated driver core make such links); any other absolute target, such
 *       as {@code /sys/...} or {@code /dev/zero}, is refused;</li>
 *   <li>more than {@value #MAX_LINKS} links in one resolution (a loop) are refused.</li>
 * </ul>
 * No lexical normalisation happens anywhere: {@code a/../b} is resolved physically, so a chain such as
 * {@code s -> .}, {@code esc -> s/s/s/s/../../../..} is seen for what it is.
 *
 * <p>A component that does not exist (or is not a directory where one is needed) ends the walk: the rest
 * is appended without {@code .} and {@code ..}, so the result names nothing, as the kernel's lookup would.
 */
public final class Containment {
    /** Linux's own limit of symlinks followed in one lookup. */
    public static final int MAX_LINKS = 40;

    private Containment() {
    }

    /**
     * A resolved path and, when the walk looked at it, the {@code lstat} attributes of its last component
     * (null when unknown: missing, or the walk ended on "." or ".."). {@code missing}: the walk found that
     * the path names nothing (a component absent, or not a directory where one was needed), so a reader
     * need not ask the file system again (in Java each failed lookup is an exception, the dominant cost of
     * reading large images whose optional attributes are mostly absent).
     */
    public record Resolved(Path path, BasicFileAttributes attributes, boolean missing) {
        /** A path the walk looked at and found (or left unexamined: the live machine). */
        public static Resolved found(Path path, BasicFileAttributes attributes) {
            return new Resolved(path, attributes, false);
        }

        /** A path that names nothing. */
        public static Resolved absent(Path path) {
            return new Resolved(path, null, true);
        }
    }

    /** A path that would leave its image. */
    public static final class EscapeException extends IOException {
        private static final long serialVersionUID = 1L;
        private final String where;

        EscapeException(String where, String message) {
            super(message);
            this.where = where;
        }

        /** The image-relative path of the link (or component) that would leave the image. */
        public String where() {
            return where;
        }
    }

    /**
     * Resolves {@code relative} (image-relative, "/"-separated; a leading "/" is ignored) inside the image
     * whose real (symlink-free) root is {@code realRoot}; {@code aliases} are other spellings of that root
     * that absolute link targets may use. With {@code followFinal} a final symlink is followed too ("stat");
     * otherwise it is left in place ("lstat"), but still checked: following it later must stay inside.
     *
     * @return an absolute path below {@code realRoot} whose every directory component is a real directory
     */
    public static Path resolve(Path realRoot, List<Path> aliases, String relative, boolean followFinal)
            throws EscapeException {
        return resolveFrom(realRoot, aliases, List.of(), relative, followFinal);
    }

    /**
     * {@link #resolve} starting in {@code realRoot/start...}, a directory the caller has already resolved
     * (its components are real directories and are not looked at again): {@link HostRoot}'s cache.
     */
    public static Path resolveFrom(Path realRoot, List<Path> aliases, List<String> start, String relative,
            boolean followFinal) throws EscapeException {
        return resolveWithAttributes(realRoot, aliases, start, relative, followFinal).path();
    }

    /** {@link #resolveFrom}, with the attributes of the last component when known. */
    public static Resolved resolveWithAttributes(Path realRoot, List<Path> aliases, List<String> start,
            String relative, boolean followFinal) throws EscapeException {
        try {
            return walk(realRoot, aliases, start, relative, followFinal, false);
        } catch (EscapeException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException(e); // only creating walks do I/O that can fail
        }
    }

    /**
     * Like {@code mkdir -p} inside the image: resolves {@code relative} as {@link #resolve} does (links
     * followed only inside the image) and creates each missing directory on the way, including those a link
     * names but that do not exist yet. Used to unpack an archive whose members lie below a symlink.
     *
     * @return the real directory, below {@code realRoot}
     */
    public static Path mkdirs(Path realRoot, String relative) throws IOException {
        return walk(realRoot, List.of(), List.of(), relative, true, true).path();
    }

    private static Resolved walk(Path realRoot, List<Path> aliases, List<String> start, String relative,
            boolean followFinal, boolean create) throws IOException {
        // Each pending component with the link (and target) it came from, to name the culprit of an escape.
        Deque<String[]> todo = new ArrayDeque<>();
        for (String c : split(relative)) {
            todo.addLast(new String[] {c, null, null});
        }
        List<String> done = new ArrayList<>(start);
        // The real path of done, kept in step with it (rebuilding it per component cost more than the lstat).
        Path cur = at(realRoot, done);
        BasicFileAttributes lastAttributes = null;
        int links = 0;
        while (!todo.isEmpty()) {
            String[] entry = todo.pollFirst();
            String c = entry[0];
            lastAttributes = null;
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (done.isEmpty()) {
                    throw entry[1] == null
                            ? new EscapeException(relative, "'" + relative + "' climbs above the image root")
                            : new EscapeException(entry[1], "the link '" + entry[1] + "' -> '" + entry[2]
                                    + "' leads out of the image");
                }
                done.remove(done.size() - 1);
                cur = cur.getParent();
                continue;
            }
            Path p = cur.resolve(c);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | SecurityException e) {
                if (!create) {
                    return missing(realRoot, done, c, todo);
                }
                Files.createDirectory(p);
                done.add(c);
                cur = p;
                continue;
            }
            boolean last = todo.isEmpty();
            if (a.isSymbolicLink()) {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException | SecurityException | UnsupportedOperationException e) {
                    if (create) {
                        throw new IOException("cannot read the link '" + join(done, c) + "'");
                    }
                    return missing(realRoot, done, c, todo);
                }
                if (++links > MAX_LINKS) {
                    throw new EscapeException(join(done, c), "too many levels of symbolic links at '"
                            + join(done, c) + "'");
                }
                if (last && !followFinal) {
                    // Left in place, but whoever follows it must land inside: check that now.
                    List<String> parent = new ArrayList<>(done);
                    resolveLink(realRoot, aliases, parent, c, target, relative);
                    done.add(c);
                    cur = p;
                    lastAttributes = a;
                    continue;
                }
                String linkName = join(done, c);
                List<String> spliced = new ArrayList<>();
                if (target.startsWith("/")) {
                    List<String> inside = insideByAbsolutePath(realRoot, aliases, target);
                    if (inside == null) {
                        throw escape(done, c, target);
                    }
                    done.clear();
                    cur = realRoot;
                    spliced.addAll(inside);
                } else {
                    spliced.addAll(split(target));
                }
                for (int i = spliced.size() - 1; i >= 0; i--) {
                    todo.addFirst(new String[] {spliced.get(i), linkName, target});
                }
                continue; // an escape through the spliced ".." is caught, and blamed on this link, as they come
            }
            if ((!last || create) && !a.isDirectory()) {
                if (create) {
                    throw new IOException("'" + join(done, c) + "' is not a directory");
                }
                return missing(realRoot, done, c, todo);
            }
            done.add(c);
            cur = p;
            lastAttributes = a;
        }
        return Resolved.found(cur, lastAttributes);
    }

    /** Checks that following link {@code name} (in {@code dir}) with target {@code target} stays inside. */
    private static void resolveLink(Path realRoot, List<Path> aliases, List<String> dir, String name, String target,
            String relative) throws EscapeException {
        String joined;
        if (target.startsWith("/")) {
            List<String> inside = insideByAbsolutePath(realRoot, aliases, target);
            if (inside == null) {
                throw escape(dir, name, target);
            }
            joined = join(inside);
        } else {
            if (climbsAbove(dir, split(target))) {
                throw escape(dir, name, target);
            }
            joined = join(dir) + (dir.isEmpty() ? "" : "/") + target;
        }
        try {
            resolve(realRoot, aliases, joined, true);
        } catch (EscapeException e) {
            throw new EscapeException(join(dir, name), "the link '" + join(dir, name) + "' -> '" + target
                    + "' leads out of the image (" + e.getMessage() + ")");
        }
    }

    /** True when the leading ".." of {@code components} climb above {@code dir} (resolved lexically). */
    private static boolean climbsAbove(List<String> dir, List<String> components) {
        int depth = dir.size();
        for (String c : components) {
            if (c.equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!c.equals(".")) {
                return false; // past a real name the walk itself checks each ".."
            }
        }
        return false;
    }

    /**
     * The image-relative components of an absolute link target that spells the image root (or an alias of
     * it) as its prefix; null when it names anything else.
     */
    static List<String> insideByAbsolutePath(Path realRoot, List<Path> aliases, String target) {
        Path t = Path.of(target);
        List<Path> roots = new ArrayList<>();
        roots.add(realRoot);
        roots.addAll(aliases);
        for (Path r : roots) {
            if (r.getNameCount() > 0 && t.startsWith(r)) {
                return split(r.relativize(t).toString());
            }
        }
        return null;
    }

    private static EscapeException escape(List<String> dir, String name, String target) {
        String where = join(dir, name);
        return new EscapeException(where, "the link '" + where + "' -> '" + target + "' leads out of the image");
    }

    private static Resolved missing(Path realRoot, List<String> done, String c, Deque<String[]> rest) {
        Path p = at(realRoot, done).resolve(c);
        for (String[] r : rest) {
            if (!r[0].equals(".") && !r[0].equals("..")) {
                p = p.resolve(r[0]);
            }
        }
        return Resolved.absent(p);
    }

    private static Path at(Path realRoot, List<String> components) {
        Path p = realRoot;
        for (String c : components) {
            p = p.resolve(c);
        }
        return p;
    }

    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split(java.io.File.separatorChar == '\\' ? "[/\\\\]" : "/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static String join(List<String> components) {
        return String.join("/", components);
    }

    private static String join(List<String> components, String last) {
        return components.isEmpty() ? last : join(components) + "/" + last;
    }
}
