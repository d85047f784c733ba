package org.ddabridge.assign.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.ddabridge.driver.linux.PersistedAssignments;
import org.ddabridge.model.BootOverride;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.MutationGuard;
import org.ddabridge.util.SysFiles;

/**
 * Writes what makes a dismount survive a reboot, under the host root: DdaBridge's list
 * ({@link PersistedAssignments#FILE}), a udev rule that sets {@code driver_override=vfio-pci} on each listed
 * function's {@code add} event (before the host driver's module is loaded by the same event), and, where the
 * distribution's initramfs generator is installed, its integration: an initramfs-tools hook plus an
 * {@code init-top} script (Debian/Ubuntu) that applies the list before udev starts, or a dracut
 * configuration (Fedora/RHEL) that puts the list, the rule and vfio-pci into the initramfs. The rule and the
 * scripts match the address and the recorded vendor/device ids, so a different card in the slot is left alone.
 *
 * <p>Every file is replaced atomically (temporary file, fsync, rename); the last function removed removes them
 * all. Writes go through {@link MutationGuard} like every sysfs write. driverctl's files are never touched.
 */
final class BootPersistence {
    static final String RULES = "etc/udev/rules.d/40-ddabridge-vfio.rules";
    static final String INITRAMFS_TOOLS = "etc/initramfs-tools";
    static final String HOOK = INITRAMFS_TOOLS + "/hooks/ddabridge-vfio";
    static final String INIT_TOP = INITRAMFS_TOOLS + "/scripts/init-top/ddabridge-vfio";
    static final String DRACUT_DIR = "etc/dracut.conf.d";
    static final String DRACUT = DRACUT_DIR + "/90-ddabridge-vfio.conf";
    private static final String RESOURCES = "/org/ddabridge/assign/linux/boot/";

    private final HostRoot root;

    BootPersistence(HostRoot root) {
        this.root = root;
    }

    /** The persisted functions by address. */
    Map<String, BootOverride> persisted() {
        Map<String, BootOverride> m = new TreeMap<>();
        for (BootOverride o : PersistedAssignments.read(root)) {
            m.put(o.address(), o);
        }
        return m;
    }

    boolean isPersisted(String address) {
        return persisted().containsKey(address);
    }

    /** Adds {@code address} with the ids it has now (read from its sysfs directory). */
    void persist(String address) throws IOException {
        Map<String, BootOverride> m = persisted();
        Path dev = root.pciDevices().resolve(address);
        String vendor = hex4(SysFiles.readString(dev.resolve("vendor")));
        String device = hex4(SysFiles.readString(dev.resolve("device")));
        String sub = hex4(SysFiles.readString(dev.resolve("subsystem_vendor"))) + ":"
                + hex4(SysFiles.readString(dev.resolve("subsystem_device")));
        if (vendor.isEmpty() || device.isEmpty()) {
            throw new IOException("cannot read the vendor and device ids of " + address + " (" + dev + ")");
        }
        m.put(address, new BootOverride(address, StepRunner.VFIO_PCI, BootOverride.Source.DDABRIDGE, vendor, device,
                sub.length() == 9 ? sub : null, PersistedAssignments.FILE));
        writeAll(m);
    }

    /** Removes {@code address}; nothing when it is not listed. */
    void unpersist(String address) throws IOException {
        Map<String, BootOverride> m = persisted();
        if (m.remove(address) != null) {
            writeAll(m);
        }
    }

    /** The files this host gets for the current list (relative to the root), for results and docs. */
    List<String> mechanisms() {
        List<String> out = new ArrayList<>(List.of(PersistedAssignments.FILE, RULES));
        if (Files.isDirectory(root.resolve(INITRAMFS_TOOLS))) {
            out.add(HOOK);
            out.add(INIT_TOP);
        }
        if (Files.isDirectory(root.resolve(DRACUT_DIR))) {
            out.add(DRACUT);
        }
        return out;
    }

    private void writeAll(Map<String, BootOverride> m) throws IOException {
        if (m.isEmpty()) {
            for (String f : List.of(PersistedAssignments.FILE, RULES, HOOK, INIT_TOP, DRACUT)) {
                delete(f);
            }
            return;
        }
        write(PersistedAssignments.FILE, conf(m.values()), false);
        write(RULES, rules(m.values()), false);
        if (Files.isDirectory(root.resolve(INITRAMFS_TOOLS))) {
            write(HOOK, resource("initramfs-hook.sh"), true);
            write(INIT_TOP, resource("init-top.sh"), true);
        }
        if (Files.isDirectory(root.resolve(DRACUT_DIR))) {
            write(DRACUT, resource("dracut.conf"), false);
        }
    }

    /** The list's text (pure; see {@link PersistedAssignments} for the format). */
    static String conf(Iterable<BootOverride> list) {
        StringBuilder sb = new StringBuilder("# Persisted vfio-pci assignments, written by 'ddabridge dismount'; "
                + "'ddabridge mount' removes them.\n# address vendor:device subsystem-vendor:subsystem\n");
        for (BootOverride o : list) {
            sb.append(o.address()).append(' ').append(o.vendorId()).append(':').append(o.deviceId());
            if (o.subsystem() != null) {
                sb.append(' ').append(o.subsystem());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * The udev rule text (pure): per function, on {@code add}, match the address and the ids and set
     * {@code driver_override} (udev writes attributes while it applies the rules, before the RUN list with the
     * module loads of 80-drivers.rules runs), then load vfio-pci.
     */
    static String rules(Iterable<BootOverride> list) {
        StringBuilder sb = new StringBuilder("# Persisted vfio-pci assignments, written by 'ddabridge dismount' "
                + "(list: /" + PersistedAssignments.FILE + ").\n");
        for (BootOverride o : list) {
            sb.append("ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\"").append(o.address())
                    .append("\", ATTR{vendor}==\"0x").append(o.vendorId())
                    .append("\", ATTR{device}==\"0x").append(o.deviceId())
                    .append("\", ATTR{driver_override}=\"vfio-pci\", RUN{builtin}+=\"kmod load vfio-pci\"\n");
        }
        return sb.toString();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = BootPersistence.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCES + name + " missing from the engine jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String hex4(String sysfs) {
        String s = sysfs.trim().toLowerCase();
        if (s.startsWith("0x")) {
            s = s.substring(2);
        }
        return s.matches("[0-9a-f]{4}") ? s : "";
    }

    private Path target(String relative) throws IOException {
        MutationGuard.checkRoot(root);
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        MutationGuard.checkWrite(root, file);
        return file;
    }

    private void write(String relative, String text, boolean executable) throws IOException {
        Path file = target(relative);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Journal.syncDir(file.getParent());
    }

    private void delete(String relative) throws IOException {
        Path file = root.resolve(relative);
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            MutationGuard.checkWrite(root, file);
            Files.delete(file);
            Journal.syncDir(file.getParent());
        }
    }

    /** What the result of a persistent operation says about the boot-time files. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("persisted", new ArrayList<>(persisted().keySet()));
        m.put("files", mechanisms());
        m.put("initramfs", Files.isDirectory(root.resolve(INITRAMFS_TOOLS)) ? "update-initramfs -u"
                : Files.isDirectory(root.resolve(DRACUT_DIR)) ? "dracut -f" : null);
        return m;
    }
}
