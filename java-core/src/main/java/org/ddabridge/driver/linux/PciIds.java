package org.ddabridge.driver.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;

import org.ddabridge.util.SysFiles;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vendor, device and class names from the system's {@code pci.ids} (the pciutils/hwdata database).
 *
 * <p>The database has some 40,000 entries and a host needs a few dozen, so the file is scanned as bytes
 * for just the {@link Needs} of one enumeration: no line becomes a String unless its name is wanted.
 * That keeps a cold one-shot survey (and a guest under emulation) from paying for the whole file.
 *
 * <p>A long-lived process ({@code serve}) asks again on every request, and rescanning the 1.3 MB file was a
 * quarter of a small host's warm survey. So the second time the same file is seen, it is read whole and
 * kept; later requests only {@code stat} it. "The same file" is its path, real path, file key (device and
 * inode), size and modification time: a package upgrade (dpkg writes a new file and renames it over the old:
 * new inode) or an edit in place (new mtime or size) is a different file, read afresh; a link in an image
 * that now leads elsewhere has another real path. A file never seen twice costs what it did before.
 */
public final class PciIds {
    /** Where Debian's pciutils and other distributions' hwdata put the database, relative to a root. */
    public static final List<String> LOCATIONS =
            List.of("usr/share/misc/pci.ids", "usr/share/hwdata/pci.ids", "usr/share/pci.ids");

    private static final PciIds EMPTY = new PciIds(Map.of(), Map.of(), Map.of());

    /** Databases seen, by path: how they looked, and their whole parse once seen twice (null before). */
    private static final Map<Path, Seen> SEEN = new ConcurrentHashMap<>();
    /** A bound on the paths remembered (a handful in practice: one per image root and the system's). */
    private static final int MAX_SEEN = 32;

    /** What identifies one version of a database file (see the class comment). */
    private record Identity(Path real, Object fileKey, long size, FileTime modified) {
        /** Written out: the generated equals spins method-handle classes on first use (a cold start pays them). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && java.util.Objects.equals(real, i.real)
                    && java.util.Objects.equals(fileKey, i.fileKey) && size == i.size
                    && java.util.Objects.equals(modified, i.modified);
        }
    }

    private record Seen(Identity identity, PciIds all) {
    }

    private final Map<Integer, String> vendors;
    private final Map<Long, String> devices;
    private final Map<Integer, String> classes;

    private PciIds(Map<Integer, String> vendors, Map<Long, String> devices, Map<Integer, String> classes) {
        this.vendors = vendors;
        this.devices = devices;
        this.classes = classes;
    }

    /** The ids one enumeration wants named. */
    public static final class Needs {
        final Set<Integer> vendors = new HashSet<>();
        final Set<Long> devices = new HashSet<>();
        final Set<Integer> classes = new HashSet<>();
        final boolean everything;

        private Needs(boolean everything) {
            this.everything = everything;
        }

        /** Names for the functions added with {@link #add}. */
        public static Needs some() {
            return new Needs(false);
        }

        /** Every name in the file (offline dumps, tests). */
        public static Needs all() {
            return new Needs(true);
        }

        /** Wants the vendor, device and (sub)class names of one function; negative ids are ignored. */
        public Needs add(int vendorId, int deviceId, int baseClass, int subClass) {
            if (vendorId >= 0) {
                vendors.add(vendorId);
                if (deviceId >= 0) {
                    devices.add(key(vendorId, deviceId));
                }
            }
            if (baseClass >= 0) {
                classes.add(baseClass << 8 | subClass);
                classes.add(baseClass << 8 | 0xff);
            }
            return this;
        }

        boolean vendor(int v) {
            return everything || vendors.contains(v);
        }

        boolean device(long k) {
            return everything || devices.contains(k);
        }

        boolean cls(int k) {
            return everything || classes.contains(k);
        }
    }

    /** The names {@code needs} asks for from the first database under any of {@code roots}; empty if none. */
    public static PciIds find(List<Path> roots, Needs needs) {
        for (Path root : roots) {
            for (String rel : LOCATIONS) {
                Path p = root.resolve(rel);
                if (Files.isRegularFile(p)) {
                    try {
                        return cachedOrScan(p, needs);
                    } catch (IOException e) {
                        return EMPTY;
                    }
                }
            }
        }
        return EMPTY;
    }

    private static PciIds cachedOrScan(Path p, Needs needs) throws IOException {
        Identity id = identity(p);
        Seen seen = id == null ? null : SEEN.get(p);
        if (seen != null && seen.identity().equals(id) && seen.all() != null) {
            return seen.all();
        }
        // Read (and contained, in an image) by SysFiles every time the identity changed.
        byte[] data = SysFiles.readOrThrow(p);
        if (id == null || !id.equals(identity(p))) {
            return scan(data, needs);   // changing while read: use it, remember nothing
        }
        if (seen == null || !seen.identity().equals(id)) {
            remember(p, new Seen(id, null));
            return scan(data, needs);
        }
        PciIds all = scan(data, Needs.all());
        remember(p, new Seen(id, all));
        return all;
    }

    private static Identity identity(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return new Identity(p.toRealPath(), a.fileKey(), a.size(), a.lastModifiedTime());
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static void remember(Path p, Seen seen) {
        if (SEEN.size() >= MAX_SEEN && !SEEN.containsKey(p)) {
            SEEN.clear();
        }
        SEEN.put(p, seen);
    }

    /**
     * Scans the pci.ids format: vendor lines {@code vvvv  Name}, device lines {@code \tdddd  Name},
     * subsystem lines (two tabs, ignored), and after them class sections {@code C cc  Name} with subclass
     * lines {@code \tss  Name}.
     */
    static PciIds scan(byte[] data, Needs needs) {
        Map<Integer, String> vendors = new HashMap<>();
        Map<Long, String> devices = new HashMap<>();
        Map<Integer, String> classes = new HashMap<>();
        int vendor = -1;
        boolean vendorWanted = false;
        int baseClass = -1;
        int pos = 0;
        int n = data.length;
        while (pos < n) {
            int start = pos;
            while (pos < n && data[pos] != '\n') {
                pos++;
            }
            int end = pos++;
            if (end - start < 2 || data[start] == '#') {
                continue;
            }
            byte first = data[start];
            if (first == 'C' && data[start + 1] == ' ') {
                vendor = -1;
                vendorWanted = false;
                baseClass = hex(data, start + 2, 2, end);
                if (baseClass >= 0 && needs.cls(baseClass << 8 | 0xff)) {
                    classes.put(baseClass << 8 | 0xff, name(data, start + 4, end));
                }
            } else if (first != '\t') {
                baseClass = -1;
                vendor = hex(data, start, 4, end);
                vendorWanted = vendor >= 0 && (needs.vendor(vendor));
                if (vendorWanted) {
                    vendors.put(vendor, name(data, start + 4, end));
                }
            } else if (data[start + 1] != '\t') {
                if (vendorWanted) {
                    int dev = hex(data, start + 1, 4, end);
                    long k = key(vendor, dev);
                    if (dev >= 0 && needs.device(k)) {
                        devices.put(k, name(data, start + 5, end));
                    }
                } else if (baseClass >= 0) {
                    int sub = hex(data, start + 1, 2, end);
                    if (sub >= 0 && needs.cls(baseClass << 8 | sub)) {
                        classes.put(baseClass << 8 | sub, name(data, start + 3, end));
                    }
                }
            }
        }
        return new PciIds(vendors, devices, classes);
    }

    private static long key(int vendorId, int deviceId) {
        return (long) vendorId << 16 | deviceId;
    }

    private static int hex(byte[] d, int from, int digits, int end) {
        if (from + digits > end) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + digits; i++) {
            int c = Character.digit(d[i], 16);
            if (c < 0) {
                return -1;
            }
            v = v << 4 | c;
        }
        return v;
    }

    private static String name(byte[] d, int from, int end) {
        return from >= end ? "" : new String(d, from, end - from, StandardCharsets.UTF_8).trim();
    }

    public String vendor(int vendorId) {
        return vendors.get(vendorId);
    }

    public String device(int vendorId, int deviceId) {
        return devices.get(key(vendorId, deviceId));
    }

    /** The subclass name, else the base class name, else null. */
    public String className(int baseClass, int subClass) {
        String s = classes.get(baseClass << 8 | subClass);
        return s != null ? s : classes.get(baseClass << 8 | 0xff);
    }

    /** The three names of a function from its hex ids and class code (null where unknown or unparsable). */
    public String[] names(String vendorHex, String deviceHex, String classCode) {
        int vendor = hex(vendorHex);
        int device = hex(deviceHex);
        String cls = classCode != null && classCode.length() == 6 ? classCode : "000000";
        return new String[] {className(hex(cls.substring(0, 2)), hex(cls.substring(2, 4))),
            vendor < 0 ? null : vendor(vendor), vendor < 0 || device < 0 ? null : device(vendor, device)};
    }

    private static int hex(String s) {
        try {
            return Integer.parseInt(s, 16);
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }
}
