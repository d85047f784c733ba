package org.ddabridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.ddabridge.model.PciAddress;
import org.ddabridge.util.HostRoot;

/**
 * Builds a fake host tree (sys, proc, dmesg.txt) under a test directory with real symlinks, the way the
 * kernel lays it out: {@code sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0} with
 * {@code sys/bus/pci/devices/X} links to it, {@code driver} and {@code iommu_group} links, group member
 * links under {@code sys/kernel/iommu_groups/N/devices}, and any host file a test needs.
 */
public final class FakeSysfs {
    private final Path root;
    private final Map<String, String> deviceDirs = new HashMap<>();

    public FakeSysfs(Path root) {
        this.root = root;
        mkdirs("sys/bus/pci/devices");
        mkdirs("sys/kernel/iommu_groups");
        mkdirs("proc");
    }

    public HostRoot hostRoot() {
        return HostRoot.of(root);
    }

    public Path path() {
        return root;
    }

    /** Adds a function below {@code parent} (null: on the root bus of its own bus number). */
    public Device device(String address, String parent, byte[] config) {
        String full = PciAddress.parse(address).orElseThrow().toString();
        String dir;
        if (parent == null) {
            PciAddress a = PciAddress.parse(full).orElseThrow();
            dir = String.format("sys/devices/pci%04x:%02x/%s", a.domain(), a.bus(), full);
        } else {
            String p = deviceDirs.get(PciAddress.parse(parent).orElseThrow().toString());
            if (p == null) {
                throw new IllegalStateException("add the parent " + parent + " first");
            }
            dir = p + "/" + full;
        }
        deviceDirs.put(full, dir);
        mkdirs(dir);
        write(dir + "/config", config);
        link("sys/bus/pci/devices/" + full, "../../../" + dir.substring("sys/".length()));
        return new Device(full, dir);
    }

    /** A file with text content (parents created). */
    public FakeSysfs file(String relative, String content) {
        write(relative, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public FakeSysfs bytes(String relative, byte[] content) {
        write(relative, content);
        return this;
    }

    /** A symlink {@code relative -> target} (target as written, usually relative). */
    public FakeSysfs link(String relative, String target) {
        Path l = root.resolve(relative);
        try {
            Files.createDirectories(l.getParent());
            Files.createSymbolicLink(l, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public FakeSysfs dir(String relative) {
        mkdirs(relative);
        return this;
    }

    /** {@code sys/kernel/iommu_groups/N/type}. */
    public FakeSysfs groupType(int group, String type) {
        return file("sys/kernel/iommu_groups/" + group + "/type", type + "\n");
    }

    /** The relative directory of a function under {@code sys/devices}. */
    public String deviceDir(String address) {
        return deviceDirs.get(PciAddress.parse(address).orElseThrow().toString());
    }

    /** Fluent per-function attributes. */
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
        int depth = dir.split("/").length - 1;
        return "../".repeat(depth);
    }

    private void mkdirs(String rel) {
        try {
            Files.createDirectories(root.resolve(rel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String rel, byte[] data) {
        Path p = root.resolve(rel);
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
