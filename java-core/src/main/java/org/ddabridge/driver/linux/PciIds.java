package org.ddabridge.driver.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vendor, device and class names from the system's {@code pci.ids} (the pciutils/hwdata database).
 * The file is parsed once per path and kept; absent file = no names.
 */
public final class PciIds {
    /** Where Debian's pciutils and other distributions' hwdata put the database, relative to a root. */
    public static final List<String> LOCATIONS =
            List.of("usr/share/misc/pci.ids", "usr/share/hwdata/pci.ids", "usr/share/pci.ids");

    private static final Map<Path, PciIds> CACHE = new ConcurrentHashMap<>();
    private static final PciIds EMPTY = new PciIds(Map.of(), Map.of(), Map.of());

    private final Map<Integer, String> vendors;
    private final Map<Long, String> devices;
    private final Map<Integer, String> classes;

    private PciIds(Map<Integer, String> vendors, Map<Long, String> devices, Map<Integer, String> classes) {
        this.vendors = vendors;
        this.devices = devices;
        this.classes = classes;
    }

    /** The first database found under any of {@code roots}, parsed once; an empty database if none. */
    public static PciIds find(List<Path> roots) {
        for (Path root : roots) {
            for (String rel : LOCATIONS) {
                Path p = root.resolve(rel);
                if (Files.isRegularFile(p)) {
                    return CACHE.computeIfAbsent(p, PciIds::load);
                }
            }
        }
        return EMPTY;
    }

    static PciIds load(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r);
        } catch (IOException e) {
            return EMPTY;
        }
    }

    /** Parses the pci.ids format: vendors, indented devices, and {@code C} class sections. */
    static PciIds parse(BufferedReader r) throws IOException {
        Map<Integer, String> vendors = new HashMap<>(4096);
        Map<Long, String> devices = new HashMap<>(65536);
        Map<Integer, String> classes = new HashMap<>(512);
        int vendor = -1;
        int baseClass = -1;
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            if (line.startsWith("C ")) {
                baseClass = hexPrefix(line, 2, 2);
                vendor = -1;
                if (baseClass >= 0) {
                    classes.put(baseClass << 8 | 0xff, line.substring(Math.min(line.length(), 6)).trim());
                }
            } else if (line.charAt(0) != '\t') {
                vendor = hexPrefix(line, 0, 4);
                baseClass = -1;
                if (vendor >= 0) {
                    vendors.put(vendor, line.substring(4).trim());
                }
            } else if (line.length() > 1 && line.charAt(1) != '\t') {
                if (vendor >= 0) {
                    int dev = hexPrefix(line, 1, 4);
                    if (dev >= 0) {
                        devices.put((long) vendor << 16 | dev, line.substring(5).trim());
                    }
                } else if (baseClass >= 0) {
                    int sub = hexPrefix(line, 1, 2);
                    if (sub >= 0) {
                        classes.put(baseClass << 8 | sub, line.substring(3).trim());
                    }
                }
            }
        }
        return new PciIds(vendors, devices, classes);
    }

    private static int hexPrefix(String line, int from, int digits) {
        if (line.length() < from + digits) {
            return -1;
        }
        try {
            return Integer.parseInt(line.substring(from, from + digits), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String vendor(int vendorId) {
        return vendors.get(vendorId);
    }

    public String device(int vendorId, int deviceId) {
        return devices.get((long) vendorId << 16 | deviceId);
    }

    /** The subclass name, else the base class name, else null. */
    public String className(int baseClass, int subClass) {
        String s = classes.get(baseClass << 8 | subClass);
        return s != null ? s : classes.get(baseClass << 8 | 0xff);
    }
}
