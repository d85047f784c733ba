package org.ddabridge.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The kernel command line ({@code proc/cmdline}, read by {@code driver.linux.LinuxIommuFacts}) and the IOMMU options on it. */
public final class KernelCmdline {
    private final List<String> words;

    private KernelCmdline(List<String> words) {
        this.words = words;
    }

    public static KernelCmdline parse(String cmdline) {
        List<String> w = new ArrayList<>();
        for (String s : (cmdline == null ? "" : cmdline).trim().split("\\s+")) {
            if (!s.isEmpty()) {
                w.add(s);
            }
        }
        return new KernelCmdline(List.copyOf(w));
    }

    /** The value of the last {@code key=value} for {@code key} (the kernel lets later ones win). */
    public Optional<String> value(String key) {
        String found = null;
        for (String w : words) {
            if (w.startsWith(key + "=")) {
                found = w.substring(key.length() + 1);
            }
        }
        return Optional.ofNullable(found);
    }

    /** The options that decide about the IOMMU, in command-line order (for evidence). */
    public List<String> iommuOptions() {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            String k = w.toLowerCase(Locale.ROOT);
            if (k.startsWith("intel_iommu=") || k.startsWith("amd_iommu=") || k.startsWith("iommu=")
                    || k.startsWith("iommu.") || k.startsWith("vfio") || k.startsWith("pcie_acs_override")) {
                out.add(w);
            }
        }
        return out;
    }

    /** {@code intel_iommu=} or {@code amd_iommu=} contains {@code off}. */
    public boolean iommuDisabled() {
        return hasOption("intel_iommu", "off") || hasOption("amd_iommu", "off") || hasOption("iommu", "off");
    }

    /** {@code intel_iommu=on} / {@code amd_iommu=on} style explicit enabling. */
    public boolean iommuRequested() {
        return hasOption("intel_iommu", "on") || hasOption("amd_iommu", "on") || hasOption("iommu", "force");
    }

    /** {@code iommu=pt} or {@code iommu.passthrough=1}: host DMA bypasses translation. */
    public boolean passthrough() {
        return hasOption("iommu", "pt") || value("iommu.passthrough").map(v -> v.equals("1") || v.equals("y"))
                .orElse(false);
    }

    private boolean hasOption(String key, String option) {
        Optional<String> v = value(key);
        if (v.isEmpty()) {
            return false;
        }
        for (String part : v.get().split(",")) {
            if (part.equalsIgnoreCase(option)) {
                return true;
            }
        }
        return false;
    }
}
