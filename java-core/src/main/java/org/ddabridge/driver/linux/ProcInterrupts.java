package org.ddabridge.driver.linux;

import java.util.List;

import org.ddabridge.util.HostRoot;
import org.ddabridge.util.SysFiles;
/** {@code proc/interrupts}: whether interrupts go through the IOMMU's remapping table ({@code IR-} chips). */
public final class ProcInterrupts {
    private ProcInterrupts() {
    }

    public static List<String> query(HostRoot root) {
        return SysFiles.readLines(root.proc("interrupts"));
    }

    /** Lines whose interrupt chip is a remapped one ({@code IR-PCI-MSI}, {@code IR-IO-APIC}, ...). */
    public static int countRemapped(List<String> lines) {
        int n = 0;
        for (String line : lines) {
            if (line.contains(" IR-")) {
                n++;
            }
        }
        return n;
    }
}
