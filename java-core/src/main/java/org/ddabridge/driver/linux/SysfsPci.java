package org.ddabridge.driver.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ddabridge.model.Bar;
import org.ddabridge.model.PciAddress;
import org.ddabridge.util.Hex;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.SysFiles;
/**
 * Reads PCI functions from {@code sys/bus/pci/devices} and parses what it read.
 *
 * <p>Reading ({@link #query}) touches as few files as possible: the identity fields come from the
 * {@code config} file, which holds them anyway; the per-attribute files are read only when config
 * space cannot be trusted (an SR-IOV virtual function reads {@code ffff} there, or an unprivileged
 * reader sees fewer than 64 bytes). Parsing ({@link #parseResource}, {@link #parseTopology}) is
 * pure and unit-tested on fixtures.
 */
public final class SysfsPci {
    /** {@code flags} bits of the kernel's {@code struct resource} (include/linux/ioport.h). */
    static final long IORESOURCE_IO = 0x100;
    static final long IORESOURCE_MEM = 0x200;
    static final long IORESOURCE_PREFETCH = 0x2000;
    static final long IORESOURCE_MEM_64 = 0x100000;

    private static final Pattern ROOT_BUS = Pattern.compile("pci([0-9a-fA-F]{4,8}):([0-9a-fA-F]{2})");

    private SysfsPci() {
    }

    /** Every function address listed under {@code sys/bus/pci/devices}, sorted. */
    public static List<PciAddress> listAddresses(HostRoot root) {
        List<PciAddress> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root.pciDevices())) {
            for (Path p : dir) {
                PciAddress.parse(p.getFileName().toString()).ifPresent(out::add);
            }
        } catch (IOException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    /** Reads one function's raw attributes. Never throws for missing attributes. */
    public static RawPciFunction query(HostRoot root, PciAddress address) {
        Path dir = root.pciDevices().resolve(address.toString());
        // One directory listing tells which optional attributes exist, so absent ones cost no failed
        // open (in Java a failed open is an exception, the dominant cost on large hosts).
        Set<String> present = entryNames(dir);
        byte[] config = present.contains("config") ? SysFiles.readPrefix(dir.resolve("config"), SysFiles.CONFIG_SPACE_BYTES)
                : new byte[0];
        boolean configTrusted = config.length >= 64 && !(config[0] == (byte) 0xff && config[1] == (byte) 0xff);
        String vendor;
        String device;
        String subVendor;
        String subDevice;
        String classCode;
        String revision;
        if (configTrusted) {
            vendor = hex16(config, 0x00);
            device = hex16(config, 0x02);
            revision = hex8(config, 0x08);
            classCode = hex8(config, 0x0b) + hex8(config, 0x0a) + hex8(config, 0x09);
            // Bridges (header type 1) carry no subsystem ids at 0x2c; the kernel takes them from an
            // SSVID capability when there is one, so use its attribute files for bridges.
            int headerType = config[0x0e] & 0x7f;
            if (headerType == 0) {
                subVendor = hex16(config, 0x2c);
                subDevice = hex16(config, 0x2e);
            } else {
                subVendor = attribute(dir, present, "subsystem_vendor");
                subDevice = attribute(dir, present, "subsystem_device");
            }
        } else {
            vendor = attribute(dir, present, "vendor");
            device = attribute(dir, present, "device");
            subVendor = attribute(dir, present, "subsystem_vendor");
            subDevice = attribute(dir, present, "subsystem_device");
            String cls = attribute(dir, present, "class");
            classCode = cls.length() > 6 ? cls.substring(cls.length() - 6) : cls;
            revision = attribute(dir, present, "revision");
        }
        boolean display = classCode.startsWith("03");
        return new RawPciFunction(
                address,
                SysFiles.linkTarget(dir),
                config,
                vendor, device, subVendor, subDevice, classCode, revision,
                present.contains("resource") ? SysFiles.readLines(dir.resolve("resource")) : List.of(),
                present.contains("driver") ? SysFiles.linkName(dir.resolve("driver")) : "",
                present.contains("iommu_group") ? SysFiles.linkName(dir.resolve("iommu_group")) : "",
                optional(dir, present, "numa_node"),
                optional(dir, present, "reset_method"),
                display && "1".equals(optional(dir, present, "boot_vga")),
                optional(dir, present, "driver_override"),
                present.contains("physfn") ? SysFiles.linkName(dir.resolve("physfn")) : "",
                optional(dir, present, "irq"),
                present.contains("msi_irqs") ? SysFiles.listNames(dir.resolve("msi_irqs")) : List.of());
    }

    private static Set<String> entryNames(Path dir) {
        // Through SysFiles: in a host image the function's directory link is followed only inside the image.
        return new HashSet<>(SysFiles.listNames(dir));
    }

    private static String optional(Path dir, Set<String> present, String name) {
        return present.contains(name) ? SysFiles.readString(dir.resolve(name)) : "";
    }

    private static String attribute(Path dir, Set<String> present, String name) {
        return strip0x(optional(dir, present, name));
    }

    /**
     * Parses the {@code resource} file: one {@code start end flags} line per resource; lines 0-5 are
     * the BARs (the rest are the ROM, bridge windows and SR-IOV BARs).
     */
    public static List<Bar> parseResource(List<String> lines) {
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < Math.min(6, lines.size()); i++) {
            String[] f = fields(lines.get(i), 3);
            if (f == null) {
                continue;
            }
            long start = Hex.parse(f[0], 0);
            long end = Hex.parse(f[1], 0);
            long flags = Hex.parse(f[2], 0);
            if ((start == 0 && end == 0) || Long.compareUnsigned(end, start) < 0) {
                continue;
            }
            boolean io = (flags & IORESOURCE_IO) != 0;
            if (!io && (flags & IORESOURCE_MEM) == 0) {
                continue;
            }
            bars.add(new Bar(i, start, end - start + 1, io ? Bar.IO : Bar.MEMORY,
                    (flags & IORESOURCE_MEM_64) != 0, (flags & IORESOURCE_PREFETCH) != 0));
        }
        return bars;
    }

    /**
     * The first {@code n} whitespace-separated fields of {@code line}, or null when it has fewer (without a
     * regular expression per line: {@code split("\\s+")} compiled one for every line of every function).
     */
    static String[] fields(String line, int n) {
        String[] out = new String[n];
        int k = 0;
        int i = 0;
        int len = line.length();
        while (k < n) {
            while (i < len && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i == len) {
                return null;
            }
            int start = i;
            while (i < len && !Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            out[k++] = line.substring(start, i);
        }
        return out;
    }

    /** Parses the {@code irq} file: the kernel's IRQ (INTx line, or the first MSI vector); null when absent or 0. */
    public static Integer parseIrq(String text) {
        String t = text.trim();
        if (!t.matches("[0-9]{1,9}")) {
            return null;
        }
        int irq = Integer.parseInt(t);
        return irq == 0 ? null : irq;
    }

    /**
     * Parses the entry names of {@code msi_irqs}: one file per message vector the kernel allocated (MSI or
     * MSI-X), named by its Linux IRQ number; sorted, anything else ignored.
     */
    public static List<Integer> parseMsiIrqs(List<String> names) {
        List<Integer> out = new ArrayList<>();
        for (String n : names) {
            if (n.matches("[0-9]{1,9}")) {
                out.add(Integer.parseInt(n));
            }
        }
        out.sort(null);
        return List.copyOf(out);
    }

    /**
     * Parses the {@code sys/bus/pci/devices/X} link target, e.g.
     * {@code ../../../devices/pci0000:00/0000:00:1c.0/0000:02:00.0}, into the root bus and the chain of
     * functions from the root down to (and including) the device itself.
     */
    public static Topology parseTopology(PciAddress self, String linkTarget) {
        String[] parts = linkTarget.split("/");
        int rootDomain = self.domain();
        int rootBus = -1;
        List<PciAddress> chain = new ArrayList<>();
        for (String part : parts) {
            Matcher m = part.startsWith("pci") ? ROOT_BUS.matcher(part) : null;
            if (m != null && m.matches()) {
                rootDomain = (int) Long.parseLong(m.group(1), 16);
                rootBus = Integer.parseInt(m.group(2), 16);
                chain.clear();
                continue;
            }
            PciAddress.parse(part).filter(a -> part.length() >= 12).ifPresent(chain::add);
        }
        if (chain.isEmpty() || !chain.get(chain.size() - 1).equals(self)) {
            // No usable link (flat fake tree): the function sits directly on its own bus's root.
            chain.clear();
            chain.add(self);
        }
        if (rootBus < 0) {
            rootBus = chain.get(0).bus();
        }
        return new Topology(rootDomain, rootBus, List.copyOf(chain));
    }

    /** Root bus and path from the root to the function (last element = the function). */
    public record Topology(int rootDomain, int rootBus, List<PciAddress> chain) {
        /** Bridges above the function, nearest first. */
        public List<PciAddress> upstreamBridges() {
            List<PciAddress> up = new ArrayList<>(chain.subList(0, chain.size() - 1));
            java.util.Collections.reverse(up);
            return up;
        }
    }

    private static String hex16(byte[] b, int off) {
        return Hex.pad((b[off] & 0xff) | (b[off + 1] & 0xff) << 8, 4);
    }

    private static String hex8(byte[] b, int off) {
        return Hex.pad(b[off] & 0xff, 2);
    }

    static String strip0x(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("0x") ? t.substring(2) : t;
    }
}
