package org.ddabridge.model;

import java.util.List;

/**
 * Facts about the host as a whole that the foundation survey reports (checks come on top of these).
 *
 * @param hostname        the machine's name
 * @param platform        {@code linux} or {@code windows}
 * @param kernel          kernel release / OS version
 * @param commandLine     kernel command line (Linux), or null
 * @param iommuUnits      IOMMU hardware units the OS registered ({@code sys/class/iommu})
 * @param iommuGroupCount number of IOMMU groups (0 when the IOMMU is off)
 * @param acpiTables      IOMMU-related ACPI tables present ({@code DMAR}, {@code IVRS})
 * @param hypervisor      the host itself runs under a hypervisor (CPU {@code hypervisor} flag)
 * @param source          {@code live} or the host image path
 * @param logicalProcessors logical processors the OS runs ({@code processor} entries of /proc/cpuinfo), or null
 *                        when not known
 * @param memoryBytes     physical memory the OS manages (/proc/meminfo {@code MemTotal}), or null when not known
 */
public record HostFacts(
        String hostname,
        String platform,
        String kernel,
        String commandLine,
        List<String> iommuUnits,
        int iommuGroupCount,
        List<String> acpiTables,
        boolean hypervisor,
        String source,
        Integer logicalProcessors,
        Long memoryBytes) {
}
