package org.ddabridge.model;

import java.util.List;

/**
 * Raw, host-wide IOMMU and VFIO evidence the host checks judge; every field is fail-soft (empty / null
 * / false when the source was absent).
 *
 * @param available              false for an offline dump: everything else is meaningless
 * @param dmarPresent            {@code sys/firmware/acpi/tables/DMAR} exists
 * @param dmarFlags              DMAR flags byte, or -1 when the table is absent or short
 * @param ivrsPresent            AMD {@code IVRS} table exists
 * @param iommuUnits             entries of {@code sys/class/iommu}
 * @param groupCount             entries of {@code sys/kernel/iommu_groups}
 * @param groupTypes             distinct {@code iommu_groups/N/type} values (identity, DMA, DMA-FQ, ...)
 * @param commandLine            kernel command line
 * @param kernelLog              true when a kernel log (dmesg or dmesg.txt) was readable
 * @param logIommuLines          the kernel log's IOMMU-related lines (DMAR, AMD-Vi, iommu:)
 * @param logIrqRemapping        the log says interrupt remapping was enabled
 * @param interruptsRead         {@code proc/interrupts} was readable
 * @param remappedInterrupts     number of {@code IR-} lines in {@code proc/interrupts}
 * @param allowUnsafeInterrupts  {@code vfio_iommu_type1 allow_unsafe_interrupts} is Y/1, or null when unknown
 * @param vfioPciLoaded          vfio-pci driver registered or module loaded
 * @param vfioPciModuleFile      path of the vfio-pci module file under lib/modules, or null
 * @param hypervisor             CPU {@code hypervisor} flag
 * @param live                   read from the running machine (not an image)
 * @param dmiProduct             DMI {@code sys_vendor} + {@code product_name} (e.g. "QEMU Standard PC"), or ""
 * @param ivrsInterruptRemapping the IVRS table names IOAPICs (AMD interrupt remapping can work), or null when
 *                               there is no IVRS table
 */
public record IommuFacts(
        boolean available,
        boolean dmarPresent,
        int dmarFlags,
        boolean ivrsPresent,
        List<String> iommuUnits,
        int groupCount,
        List<String> groupTypes,
        String commandLine,
        boolean kernelLog,
        List<String> logIommuLines,
        boolean logIrqRemapping,
        boolean interruptsRead,
        int remappedInterrupts,
        Boolean allowUnsafeInterrupts,
        boolean vfioPciLoaded,
        String vfioPciModuleFile,
        boolean hypervisor,
        boolean live,
        String dmiProduct,
        Boolean ivrsInterruptRemapping) {

    /** Without IVRS facts (Intel hosts, older callers). */
    public IommuFacts(boolean available, boolean dmarPresent, int dmarFlags, boolean ivrsPresent,
            List<String> iommuUnits, int groupCount, List<String> groupTypes, String commandLine, boolean kernelLog,
            List<String> logIommuLines, boolean logIrqRemapping, boolean interruptsRead, int remappedInterrupts,
            Boolean allowUnsafeInterrupts, boolean vfioPciLoaded, String vfioPciModuleFile, boolean hypervisor,
            boolean live, String dmiProduct) {
        this(available, dmarPresent, dmarFlags, ivrsPresent, iommuUnits, groupCount, groupTypes, commandLine,
                kernelLog, logIommuLines, logIrqRemapping, interruptsRead, remappedInterrupts, allowUnsafeInterrupts,
                vfioPciLoaded, vfioPciModuleFile, hypervisor, live, dmiProduct, null);
    }

    /** Nothing known (lspci dump). */
    public static IommuFacts unknown() {
        return new IommuFacts(false, false, -1, false, List.of(), 0, List.of(), "", false, List.of(), false, false, 0,
                null, false, null, false, false, "");
    }

    /** The IOMMU translates for PCI devices now (groups exist). */
    public boolean iommuActive() {
        return available && groupCount > 0;
    }
}
