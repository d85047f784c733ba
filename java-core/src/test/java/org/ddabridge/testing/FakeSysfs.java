package org.ddabridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.PciAddress;
import org.ddabridge.util.HostRoot;
/**
 * Builds a fake host tree the way the kernel lays out sysfs: functions under
 * {@code sys/devices/pciDDDD:BB/...}, relative symlinks from {@code sys/bus/pci/devices}, {@code driver}
 * links into {@code sys/bus/pci/drivers}, and {@code iommu_group} links into {@code sys/kernel/iommu_groups}.
 *
 * <pre>
 * FakeSysfs fs = new FakeSysfs(tempDir);
 * fs.function("0000:00:02.0").ids(0x1b36, 0x000c).classCode(0x060400).driver("pcieport").group(2).add();
 * fs.function("0000:01:00.0").parent("0000:00:02.0").ids(0x1b36, 0x0010).classCode(0x010802).add();
 * </pre>
 *
 * <p>Or, when a test has real configuration spaces (the checker's tests), {@link #device}: the ids come from
 * the config bytes, and attributes are added one by one:
 *
 * <pre>
 * fs.device("0000:01:00.0", "0000:00:02.0", config).driver("nvme").group(10).resetMethod("flr bus");
 * </pre>
 */
public final class FakeSysfs {
    private final Path root;
    private final List<String> added = new ArrayList<>();

    public FakeSysfs(Path root) {
        this.root = root;
        mkdirs("sys/bus/pci/devices");
        mkdirs("sys/bus/pci/drivers");
        mkdirs("sys/kernel/iommu_groups");
        mkdirs("proc/sys/kernel");
    }

    public Path root() {
        return root;
    }

    /** Same as {@link #root()}. */
    public Path path() {
        return root;
    }

    public HostRoot hostRoot() {
        return HostRoot.of(root);
    }

    /** Starts describing a function. */
    public FunctionBuilder function(String address) {
        return new FunctionBuilder(address);
    }

    /** Writes {@code <root>/<relative>} with {@code text}. */
    public FakeSysfs file(String relative, String text) {
        return bytes(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    public FakeSysfs bytes(String relative, byte[] data) {
        Path p = root.resolve(relative);
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A relative symlink {@code <root>/<relative>} -> {@code target}. */
    public FakeSysfs link(String relative, String target) {
        Path p = root.resolve(relative);
        try {
            Files.createDirectories(p.getParent());
            Files.deleteIfExists(p);
            Files.createSymbolicLink(p, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private void mkdirs(String relative) {
        try {
            Files.createDirectories(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sysfs directory (relative to root) of an added function. */
    public String devicePath(String address) {
        try {
            Path link = root.resolve("sys/bus/pci/devices/" + address);
            return root.relativize(link.toRealPath()).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds a function below {@code parent} (null: on the root bus of its own bus number) with the given
     * configuration space and nothing else; attributes follow through the returned {@link Device}.
     */
    public Device device(String address, String parent, byte[] config) {
        String full = PciAddress.parse(address).orElseThrow().toString();
        String dir;
        if (parent == null) {
            PciAddress a = PciAddress.parse(full).orElseThrow();
            dir = String.format("sys/devices/pci%04x:%02x/%s", a.domain(), a.bus(), full);
        } else {
            dir = devicePath(PciAddress.parse(parent).orElseThrow().toString()) + "/" + full;
        }
        mkdirs(dir);
        bytes(dir + "/config", config);
        link("sys/bus/pci/devices/" + full, "../../../" + dir.substring("sys/".length()));
        added.add(full);
        return new Device(full, dir);
    }

    /** An empty directory (parents created). */
    public FakeSysfs dir(String relative) {
        mkdirs(relative);
        return this;
    }

    /** {@code sys/kernel/iommu_groups/N/type}. */
    public FakeSysfs groupType(int group, String type) {
        return file("sys/kernel/iommu_groups/" + group + "/type", type + "\n");
    }

    /** Same as {@link #devicePath}, accepting short addresses. */
    public String deviceDir(String address) {
        return devicePath(PciAddress.parse(address).orElseThrow().toString());
    }

    /** Attributes of a function added with {@link #device}. */
    public final class Device {
        private final String address;
        private final String dir;

        Device(String address, String dir) {
            this.address = address;
            this.dir = dir;
        }

        public Device driver(String name) {
            mkdirs("sys/bus/pci/drivers/" + name);
            link(dir + "/driver", up(dir) + "bus/pci/drivers/" + name);
            return this;
        }

        /** {@code iommu_group} link and the group's member link (the type file: {@link #groupType}). */
        public Device group(int n) {
            mkdirs("sys/kernel/iommu_groups/" + n + "/devices");
            link(dir + "/iommu_group", up(dir) + "kernel/iommu_groups/" + n);
            link("sys/kernel/iommu_groups/" + n + "/devices/" + address, "../../../../" + dir.substring(4));
            return this;
        }

        public Device resetMethod(String methods) {
            return attr("reset_method", methods);
        }

        public Device bootVga() {
            return attr("boot_vga", "1");
        }

        /** {@code resource} lines ({@code start end flags} in 0x hex). */
        public Device resource(String... lines) {
            return attr("resource", String.join("\n", lines));
        }

        public Device attr(String name, String value) {
            file(dir + "/" + name, value + "\n");
            return this;
        }

        public String dir() {
            return dir;
        }
    }

    /** {@code ../} repeated to climb from {@code dir} (under sys/) back to sys/. */
    private static String up(String dir) {
        return "../".repeat(dir.split("/").length - 1);
    }

    /** Fluent description of one function. */
    public final class FunctionBuilder {
        private final String address;
        private String parent;
        private int vendor = 0x8086;
        private int device = 0x1234;
        private int subVendor = 0x8086;
        private int subDevice = 0x0001;
        private int classCode = 0x020000;
        private int revision = 1;
        private String driver;
        private Integer group;
        private String resource = "";
        private byte[] config;
        private boolean writeIdFiles = true;
        private Integer numaNode = -1;
        private String resetMethod;

        FunctionBuilder(String address) {
            this.address = address;
        }

        /** The upstream bridge's address; omit for a function on the root bus. */
        public FunctionBuilder parent(String parentAddress) {
            this.parent = parentAddress;
            return this;
        }

        public FunctionBuilder ids(int vendorId, int deviceId) {
            this.vendor = vendorId;
            this.device = deviceId;
            return this;
        }

        public FunctionBuilder subsystem(int subVendorId, int subDeviceId) {
            this.subVendor = subVendorId;
            this.subDevice = subDeviceId;
            return this;
        }

        public FunctionBuilder classCode(int code) {
            this.classCode = code;
            return this;
        }

        public FunctionBuilder revision(int rev) {
            this.revision = rev;
            return this;
        }

        public FunctionBuilder driver(String name) {
            this.driver = name;
            return this;
        }

        public FunctionBuilder group(int iommuGroup) {
            this.group = iommuGroup;
            return this;
        }

        public FunctionBuilder numaNode(int node) {
            this.numaNode = node;
            return this;
        }

        public FunctionBuilder resetMethod(String methods) {
            this.resetMethod = methods;
            return this;
        }

        /** Lines of the {@code resource} file. */
        public FunctionBuilder resource(String... lines) {
            this.resource = String.join("\n", lines) + "\n";
            return this;
        }

        /** Explicit config bytes; by default a 64-byte header is generated from the ids. */
        public FunctionBuilder config(byte[] bytes) {
            this.config = bytes;
            return this;
        }

        /** Omit the vendor/device/... attribute files (only config carries the ids). */
        public FunctionBuilder withoutIdFiles() {
            this.writeIdFiles = false;
            return this;
        }

        /** Writes the function into the tree. */
        public FakeSysfs add() {
            String dir;
            if (parent == null) {
                String rootBus = address.substring(0, 7); // "0000:00"
                dir = "sys/devices/pci" + rootBus + "/" + address;
            } else {
                dir = devicePath(parent) + "/" + address;
            }
            mkdirs(dir);
            String[] depth = ("sys/bus/pci/devices/x").split("/");
            link("sys/bus/pci/devices/" + address, "../".repeat(depth.length - 2) + dir.substring(4));
            if (writeIdFiles) {
                file(dir + "/vendor", String.format("0x%04x%n", vendor));
                file(dir + "/device", String.format("0x%04x%n", device));
                file(dir + "/subsystem_vendor", String.format("0x%04x%n", subVendor));
                file(dir + "/subsystem_device", String.format("0x%04x%n", subDevice));
                file(dir + "/class", String.format("0x%06x%n", classCode));
                file(dir + "/revision", String.format("0x%02x%n", revision));
            }
            bytes(dir + "/config", config != null ? config : header());
            file(dir + "/resource", resource);
            file(dir + "/numa_node", numaNode + "\n");
            if (resetMethod != null) {
                file(dir + "/reset_method", resetMethod + "\n");
            }
            int up = dir.split("/").length;
            if (driver != null) {
                mkdirs("sys/bus/pci/drivers/" + driver);
                link(dir + "/driver", "../".repeat(up - 1) + "bus/pci/drivers/" + driver);
                link("sys/bus/pci/drivers/" + driver + "/" + address, "../../../../" + dir.substring(4));
            }
            if (group != null) {
                link(dir + "/iommu_group", "../".repeat(up - 1) + "kernel/iommu_groups/" + group);
                link("sys/kernel/iommu_groups/" + group + "/devices/" + address, "../../../../" + dir.substring(4));
                file("sys/kernel/iommu_groups/" + group + "/type", "DMA\n");
            }
            added.add(address);
            return FakeSysfs.this;
        }

        private byte[] header() {
            byte[] c = new byte[64];
            put16(c, 0, vendor);
            put16(c, 2, device);
            c[8] = (byte) revision;
            c[9] = (byte) classCode;
            c[10] = (byte) (classCode >> 8);
            c[11] = (byte) (classCode >> 16);
            boolean bridge = (classCode >> 8) == 0x0604;
            c[14] = (byte) (bridge ? 1 : 0);
            if (!bridge) {
                put16(c, 0x2c, subVendor);
                put16(c, 0x2e, subDevice);
            }
            return c;
        }
    }

    static void put16(byte[] c, int off, int v) {
        c[off] = (byte) v;
        c[off + 1] = (byte) (v >> 8);
    }
}
