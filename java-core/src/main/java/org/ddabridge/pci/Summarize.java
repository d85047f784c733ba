package org.ddabridge.pci;

import java.util.Map;

/**
 * Builds the {@link Summaries} records from decoded capability maps, so the JSON maps and the summaries
 * the checks read can never disagree. A missing or truncated capability gives null.
 */
final class Summarize {
    private Summarize() {
    }

    static Summaries.Pcie pcie(Map<String, Object> m) {
        if (!usable(m)) {
            return null;
        }
        return new Summaries.Pcie(i(m, "version"), (String) m.get("portType"), b(m, "flr"), i(m, "linkSpeedMax"),
                i(m, "linkWidthMax"), i(m, "linkSpeed"), i(m, "linkWidth"), b(m, "slotImplemented"));
    }

    static Summaries.Msi msi(Map<String, Object> m) {
        return usable(m) ? new Summaries.Msi(i(m, "count"), b(m, "is64Bit"), b(m, "perVectorMask"), b(m, "enabled"))
                : null;
    }

    static Summaries.Msix msix(Map<String, Object> m) {
        return usable(m) ? new Summaries.Msix(i(m, "tableSize"), i(m, "tableBar"), l(m, "tableOffset"),
                i(m, "pbaBar"), l(m, "pbaOffset"), b(m, "enabled")) : null;
    }

    static Summaries.Pm pm(Map<String, Object> m) {
        return usable(m) ? new Summaries.Pm(i(m, "version"), b(m, "noSoftReset")) : null;
    }

    static Summaries.Acs acs(Map<String, Object> m) {
        return usable(m) ? new Summaries.Acs((AcsBits) m.get("capability"), (AcsBits) m.get("control")) : null;
    }

    static Summaries.Sriov sriov(Map<String, Object> m) {
        return usable(m) ? new Summaries.Sriov(i(m, "totalVfs"), i(m, "initialVfs"), i(m, "numVfs"),
                i(m, "vfOffset"), i(m, "vfStride"), (String) m.get("vfDeviceId")) : null;
    }

    private static boolean usable(Map<String, Object> m) {
        return m != null && !Boolean.TRUE.equals(m.get("truncated"));
    }

    private static int i(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).intValue();
    }

    private static long l(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    private static boolean b(Map<String, Object> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }
}
