package org.ddabridge.driver.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.ddabridge.model.DmarTable;
import org.ddabridge.model.IommuFacts;
import org.ddabridge.model.IvrsTable;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.IoPool;
import org.ddabridge.util.SysFiles;
/** Gathers the host-wide IOMMU / interrupt remapping / VFIO evidence from sysfs, procfs and the kernel log. */
public final class LinuxIommuFacts {
    private LinuxIommuFacts() {
    }

    public static IommuFacts read(HostRoot root) {
        byte[] dmar = AcpiDmar.query(root);
        DmarTable table = AcpiDmar.parse(dmar);
        IvrsTable ivrs = AcpiIvrs.parse(AcpiIvrs.query(root));
        Path groupsDir = root.sys("kernel/iommu_groups");
        List<String> groups = SysFiles.listNames(groupsDir);
        TreeSet<String> types = new TreeSet<>();
        // One small read per group (thousands on a large host): in parallel, like the functions' own reads. The
        // path is built below the resolved directory (SysFiles keeps it inside the image): root.sys() per group
        // resolved each path once for itself and again for the read.
        for (String t : IoPool.map(groups, g -> SysFiles.readString(groupsDir.resolve(g).resolve("type")))) {
            if (!t.isEmpty()) {
                types.add(t);
            }
        }
        String log = KernelLog.query(root);
        List<String> logLines = KernelLog.iommuLines(log);
        List<String> interrupts = ProcInterrupts.query(root);
        String unsafe = SysFiles.readString(root.sys("module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"));
        String release = SysFiles.readString(root.proc("sys/kernel/osrelease"));
        boolean loaded = Files.isDirectory(root.sys("bus/pci/drivers/vfio-pci"))
                || Files.isDirectory(root.sys("module/vfio_pci"));
        List<String> cpuinfo = SysFiles.readLines(root.proc("cpuinfo"));
        // ACPI tables are readable by root only: the file's existence is the evidence for an unprivileged reader.
        return new IommuFacts(true, table.present() || dmar.length > 0
                || SysFiles.exists(root.sys("firmware/acpi/tables/DMAR")), table.flags(),
                SysFiles.exists(root.sys("firmware/acpi/tables/IVRS")),
                SysFiles.listNames(root.sys("class/iommu")), groups.size(), List.copyOf(types),
                SysFiles.readString(root.proc("cmdline")), !log.isEmpty(), logLines, KernelLog.irqRemappingEnabled(logLines),
                !interrupts.isEmpty(), ProcInterrupts.countRemapped(interrupts), parseBool(unsafe), loaded,
                findModule(root, release), LinuxHostFacts.parseHypervisorFlag(cpuinfo), root.isLive(),
                (SysFiles.readString(root.sys("class/dmi/id/sys_vendor")) + " "
                        + SysFiles.readString(root.sys("class/dmi/id/product_name"))).trim(),
                ivrs.present() ? ivrs.interruptRemappingSupported() : null);
    }

    /** {@code Y}/{@code 1} true, {@code N}/{@code 0} false, anything else unknown. */
    static Boolean parseBool(String s) {
        return switch (s.trim()) {
            case "Y", "y", "1" -> Boolean.TRUE;
            case "N", "n", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** The vfio-pci module file under {@code lib/modules/<release>} (any compression), relative to the root. */
    static String findModule(HostRoot root, String release) {
        if (release.isEmpty()) {
            return null;
        }
        Path dir = root.resolve("lib/modules/" + release + "/kernel/drivers/vfio/pci");
        if (!Files.isDirectory(dir)) {
            dir = root.resolve("usr/lib/modules/" + release + "/kernel/drivers/vfio/pci");
        }
        if (!Files.isDirectory(dir)) {
            return null;
        }
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().startsWith("vfio-pci.ko")).forEach(hits::add);
        } catch (IOException e) {
            return null;
        }
        return hits.isEmpty() ? null : root.path().relativize(hits.get(0)).toString();
    }
}
