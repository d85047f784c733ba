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
        List<String> cpuinfo = SysFiles.readLines(root.proc("cpuinfo"));
        boolean hypervisor = parseHypervisorFlag(cpuinfo);
        return new HostFacts(hostname.isEmpty() ? null : hostname, "linux", kernel.isEmpty() ? null : kernel,
                cmdline.isEmpty() ? null : cmdline, units, groups, tables, hypervisor,
                root.isLive() ? "live" : root.path().toString(), parseProcessorCount(cpuinfo),
                parseMemTotal(SysFiles.readLines(root.proc("meminfo"))));
    }

    /** The number of {@code processor} entries of /proc/cpuinfo (one per logical CPU), or null without any. */
    static Integer parseProcessorCount(List<String> cpuinfo) {
        int n = 0;
        for (String line : cpuinfo) {
            if (line.matches("processor\\s*:.*")) {
                n++;
            }
        }
        return n == 0 ? null : n;
    }

    /** /proc/meminfo's {@code MemTotal: N kB} in bytes, or null when absent or malformed. */
    static Long parseMemTotal(List<String> meminfo) {
        for (String line : meminfo) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("MemTotal:\\s+(\\d{1,15})\\s+kB\\s*")
                    .matcher(line);
            if (m.matches()) {
                return Long.parseLong(m.group(1)) * 1024;
            }
        }
        return null;
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
