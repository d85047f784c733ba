package org.ddabridge.driver.linux;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.HostFacts;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.SysFiles;
/** Reads host-wide facts from {@code proc} and {@code sys}. */
public final class LinuxHostFacts {
    private LinuxHostFacts() {
    }

    public static HostFacts read(HostRoot root) {
        String hostname = SysFiles.readString(root.proc("sys/kernel/hostname"));
        String kernel = SysFiles.readString(root.proc("sys/kernel/osrelease"));
        String cmdline = SysFiles.readString(root.proc("cmdline"));
        List<String> units = SysFiles.listNames(root.sys("class/iommu"));
        int groups = SysFiles.listNames(root.sys("kernel/iommu_groups")).size();
        List<String> tables = new ArrayList<>();
        for (String t : List.of("DMAR", "IVRS")) {
            if (Files.exists(root.sys("firmware/acpi/tables/" + t))) {
                tables.add(t);
            }
        }
        boolean hypervisor = parseHypervisorFlag(SysFiles.readLines(root.proc("cpuinfo")));
        return new HostFacts(hostname.isEmpty() ? null : hostname, "linux", kernel.isEmpty() ? null : kernel,
                cmdline.isEmpty() ? null : cmdline, units, groups, tables, hypervisor,
                root.isLive() ? "live" : root.path().toString());
    }

    /** True when the first {@code flags} line of /proc/cpuinfo lists {@code hypervisor}. */
    static boolean parseHypervisorFlag(List<String> cpuinfo) {
        for (String line : cpuinfo) {
            if (line.startsWith("flags")) {
                int colon = line.indexOf(':');
                String flags = colon < 0 ? "" : line.substring(colon + 1);
                return (" " + flags.trim() + " ").contains(" hypervisor ");
            }
        }
        return false;
    }

}
