package org.ddabridge.util;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The directory treated as {@code /} for every sysfs and procfs read (like lspci's {@code -O sysfs.path}).
 *
 * <p>The live machine is {@link #live()}; a host image (a directory made by {@code capture}) is
 * {@link #of(Path)}. Every path the engine reads is built here, so no code elsewhere names {@code /sys}.
 */
public final class HostRoot {
    private final Path root;
    private final boolean live;

    private HostRoot(Path root, boolean live) {
        this.root = root;
        this.live = live;
    }

    /** The running machine's own root. Writes through it are guarded (see {@code MutationGuard}). */
    public static HostRoot live() {
        return new HostRoot(Path.of("/"), true);
    }

    /** A host image (or fake tree) rooted at {@code dir}. */
    public static HostRoot of(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        return new HostRoot(abs, abs.equals(Path.of("/")));
    }

    /** True when this is the real machine rather than an image. */
    public boolean isLive() {
        return live;
    }

    public Path path() {
        return root;
    }

    /** {@code <root>/sys/<relative>}. */
    public Path sys(String relative) {
        return root.resolve("sys").resolve(relative);
    }

    /** {@code <root>/proc/<relative>}. */
    public Path proc(String relative) {
        return root.resolve("proc").resolve(relative);
    }

    /** {@code <root>/<relative>} for anything else (e.g. {@code usr/share/misc/pci.ids}). */
    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    /** The PCI device directory of the bus view: {@code sys/bus/pci/devices}. */
    public Path pciDevices() {
        return sys("bus/pci/devices");
    }

    /** True when the tree has the minimum a host image needs. */
    public boolean looksLikeHost() {
        return Files.isDirectory(pciDevices()) || Files.isDirectory(sys("devices"));
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
