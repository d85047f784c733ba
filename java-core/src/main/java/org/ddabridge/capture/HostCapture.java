package org.ddabridge.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.driver.linux.Dmesg;
import org.ddabridge.driver.linux.KernelLog;
import org.ddabridge.driver.linux.SysfsPci;
import org.ddabridge.image.Tar;
import org.ddabridge.model.PciAddress;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.Json;
import org.ddabridge.util.SysFiles;
/**
 * Writes a host image: the sysfs/procfs files the engine reads, symlinks kept relative, plus the
 * kernel log when readable, as a {@code .tar.gz} that {@code --root} accepts directly or unpacked.
 * Reads only; nothing on the host is changed.
 */
public final class HostCapture {
    /** Per-function attribute files (absent ones are skipped). */
    static final List<String> FUNCTION_FILES = List.of(
            "config", "vendor", "device", "subsystem_vendor", "subsystem_device", "class", "revision",
            "resource", "numa_node", "reset_method", "boot_vga", "driver_override", "irq", "enable",
            "modalias", "local_cpulist", "d3cold_allowed", "secondary_bus_number", "subordinate_bus_number",
            "current_link_speed", "current_link_width", "max_link_speed", "max_link_width",
            "sriov_totalvfs", "sriov_numvfs", "sriov_offset", "sriov_stride", "sriov_vf_device");
    /** Per-function symlinks. */
    static final List<String> FUNCTION_LINKS = List.of("driver", "iommu_group", "physfn");
    /** Host-wide files. */
    static final List<String> HOST_FILES = List.of(
            "proc/cmdline", "proc/interrupts", "proc/mounts", "proc/self/mountinfo", "proc/swaps", "proc/net/route",
            "proc/net/ipv6_route", "proc/cpuinfo", "proc/meminfo", "proc/modules",
            "proc/version", "proc/sys/kernel/osrelease", "proc/sys/kernel/hostname",
            "sys/firmware/acpi/tables/DMAR", "sys/firmware/acpi/tables/IVRS",
            "sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts",
            "sys/module/vfio/parameters/enable_unsafe_noiommu_mode");
    /** Name of the kernel log inside an image. */
    /** Name of the image's description. */
    public static final String METADATA_FILE = "ddabridge-image.json";

    private final HostRoot root;
    private final Set<String> written = new LinkedHashSet<>();
    private Tar.Writer tar;

    private HostCapture(HostRoot root) {
        this.root = root;
    }

    /** Captures {@code root} into {@code output}; returns a summary. */
    public static Map<String, Object> capture(HostRoot root, Path output, Progress progress) {
        HostCapture c = new HostCapture(root);
        Path tmp = output.resolveSibling(output.getFileName() + ".partial");
        try (OutputStream os = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            c.tar = new Tar.Writer(os, Instant.now().getEpochSecond());
            int functions = c.writeAll(progress);
            c.tar.finish();
            os.close();
            Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("output", output.toAbsolutePath().toString());
            summary.put("functions", functions);
            summary.put("entries", c.written.size());
            summary.put("bytes", Files.size(output));
            return summary;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to clean up
            }
            throw new EngineException(ErrorId.IoFailure, "Cannot write host image '" + output + "': " + e.getMessage(),
                    output.toString());
        }
    }

    private int writeAll(Progress progress) throws IOException {
        List<PciAddress> addresses = SysfsPci.listAddresses(root);
        int i = 0;
        for (PciAddress a : addresses) {
            String busLink = "sys/bus/pci/devices/" + a;
            addLink(busLink);
            Path real = root.path().resolve(busLink).toRealPath();
            String rel = root.path().relativize(real).toString();
            addAncestors(rel);
            for (String f : FUNCTION_FILES) {
                addFile(rel + "/" + f);
            }
            for (String l : FUNCTION_LINKS) {
                addLinkAndTargetDir(rel + "/" + l);
            }
            addEntriesOf(rel, "virtfn");
            addDirectoryListing(rel + "/msi_irqs");
            i++;
            if (i % 64 == 0 || i == addresses.size()) {
                progress.report("Capturing host image", i * 80 / Math.max(1, addresses.size()), a.toString());
            }
        }
        for (String group : list("sys/kernel/iommu_groups")) {
            String g = "sys/kernel/iommu_groups/" + group;
            addFile(g + "/type");
            for (String member : list(g + "/devices")) {
                addLink(g + "/devices/" + member);
            }
        }
        for (String unit : list("sys/class/iommu")) {
            addLinkAndTargetDir("sys/class/iommu/" + unit);
        }
        for (String driver : list("sys/bus/pci/drivers")) {
            addDirectory("sys/bus/pci/drivers/" + driver);
        }
        for (String module : List.of("vfio", "vfio_pci", "vfio_iommu_type1", "vfio_pci_core")) {
            if (Files.isDirectory(root.sys("module/" + module))) {
                addDirectory("sys/module/" + module);
            }
        }
        progress.report("Capturing host image", 85, "block and network devices");
        for (String block : list("sys/block")) {
            String link = "sys/block/" + block;
            addLinkAndTargetDir(link);
            // Files go under the link's real target: a member below a symlink would not unpack with tar(1).
            addFile(resolveRel(link) + "/dev");
            for (String part : list(link)) {
                if (part.startsWith(block)) {
                    addDirectory(resolveRel(link) + "/" + part);
                    addFile(resolveRel(link) + "/" + part + "/dev");
                }
            }
            for (String slave : list(link + "/slaves")) {
                addLinkAndTargetDir(resolveRel(link) + "/slaves/" + slave);
            }
        }
        for (String net : list("sys/class/net")) {
            addLinkAndTargetDir("sys/class/net/" + net);
        }
        for (String f : HOST_FILES) {
            addFile(f);
        }
        progress.report("Capturing host image", 95, "kernel log");
        String dmesg = root.isLive() ? Dmesg.readLive() : SysFiles.readString(root.resolve(KernelLog.DMESG_FILE));
        if (!dmesg.isEmpty()) {
            put(KernelLog.DMESG_FILE, dmesg.getBytes(StandardCharsets.UTF_8));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("schemaVersion", 1);
        meta.put("capturedAt", Instant.now().toString());
        meta.put("hostname", SysFiles.readString(root.proc("sys/kernel/hostname")));
        meta.put("kernel", SysFiles.readString(root.proc("sys/kernel/osrelease")));
        meta.put("functions", addresses.size());
        meta.put("dmesg", !dmesg.isEmpty());
        put(METADATA_FILE, Json.pretty().toJson(meta).getBytes(StandardCharsets.UTF_8));
        return addresses.size();
    }

    private List<String> list(String rel) {
        return SysFiles.listNames(root.resolve(rel));
    }

    private String resolveRel(String rel) throws IOException {
        return root.path().relativize(root.resolve(rel).toRealPath()).toString();
    }

    private void addAncestors(String rel) throws IOException {
        Path p = Path.of(rel);
        for (int i = 1; i <= p.getNameCount(); i++) {
            addDirectory(p.subpath(0, i).toString());
        }
    }

    private void addDirectory(String rel) throws IOException {
        if (written.add(rel + "/")) {
            tar.directory(rel);
        }
    }

    private void addDirectoryListing(String rel) throws IOException {
        if (!Files.isDirectory(root.resolve(rel))) {
            return;
        }
        addDirectory(rel);
        for (String name : list(rel)) {
            // msi_irqs/<n> entries are files whose names are the vector numbers; their content is the mode.
            addFile(rel + "/" + name);
        }
    }

    private void addEntriesOf(String dirRel, String prefix) throws IOException {
        for (String name : list(dirRel)) {
            if (name.startsWith(prefix)) {
                addLink(dirRel + "/" + name);
            }
        }
    }

    private void addFile(String rel) throws IOException {
        Path p = root.resolve(rel);
        if (written.contains(rel) || !Files.isRegularFile(p)) {
            return;
        }
        byte[] data;
        try {
            data = SysFiles.readOrThrow(p); // bounded, and contained when capturing from an image
        } catch (IOException | SecurityException e) {
            return; // unreadable (privileges): the image simply lacks it, like an unprivileged lspci
        }
        put(rel, data);
    }

    private void put(String rel, byte[] data) throws IOException {
        if (written.add(rel)) {
            tar.file(rel, data);
        }
    }

    /** Adds a symlink as a relative link (absolute targets are rewritten relative to the image root). */
    private void addLink(String rel) throws IOException {
        Path p = root.resolve(rel);
        if (written.contains(rel) || !Files.isSymbolicLink(p)) {
            return;
        }
        Path target = Files.readSymbolicLink(p);
        if (target.isAbsolute()) {
            Path inImage = root.path().relativize(root.path().resolve(target.toString().substring(1)));
            target = Path.of(rel).getParent().relativize(inImage);
        }
        written.add(rel);
        tar.symlink(rel, target.toString());
    }

    private void addLinkAndTargetDir(String rel) throws IOException {
        Path p = root.resolve(rel);
        if (!Files.isSymbolicLink(p)) {
            return;
        }
        addLink(rel);
        try {
            Path real = p.toRealPath();
            if (real.startsWith(root.path()) && Files.isDirectory(real)) {
                addAncestors(root.path().relativize(real).toString());
            }
        } catch (IOException e) {
            // dangling link: keep the link, nothing to add behind it
        }
    }
}
