package org.ddabridge.driver.linux;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.util.HostRoot;
import org.ddabridge.util.SysFiles;
/**
 * The kernel log as evidence for IOMMU checks: {@link Dmesg} on the live host, the image's
 * {@code dmesg.txt} otherwise.
 */
public final class KernelLog {
    /** Where a host image keeps the kernel log (written by {@code capture}, read here). */
    public static final String DMESG_FILE = "dmesg.txt";
    private KernelLog() {
    }

    /** The log text, {@code ""} when unavailable (no permission, no file). */
    public static String query(HostRoot root) {
        return root.isLive() ? Dmesg.readLive() : SysFiles.readString(root.resolve(DMESG_FILE));
    }

    /** The IOMMU-related lines with the timestamp prefix removed (DMAR, AMD-Vi, iommu:, VFIO). */
    public static List<String> iommuLines(String log) {
        List<String> out = new ArrayList<>();
        for (String raw : log.split("\n")) {
            String line = stripTimestamp(raw);
            if (line.startsWith("DMAR") || line.contains("AMD-Vi") || line.startsWith("iommu:")
                    || line.contains("IOMMU") || line.contains("remapping")) {
                out.add(line);
            }
        }
        return out;
    }

    /** True when the log reports interrupt remapping switched on (Intel or AMD wording). */
    public static boolean irqRemappingEnabled(List<String> iommuLines) {
        for (String line : iommuLines) {
            if (line.contains("DMAR-IR: Enabled IRQ remapping")
                    || line.contains("AMD-Vi: Interrupt remapping enabled")) {
                return true;
            }
        }
        return false;
    }

    static String stripTimestamp(String line) {
        String s = line.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close > 0) {
                return s.substring(close + 1).strip();
            }
        }
        return s;
    }
}
