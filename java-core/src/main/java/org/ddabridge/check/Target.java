package org.ddabridge.check;

import java.util.Locale;

import com.google.gson.annotations.SerializedName;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;

/**
 * The hypervisor a verdict is for. The two judge the same hardware by different rules: Hyper-V's DDA
 * (Microsoft's SurveyDDA.ps1: PCIe only, MSI only, ACS up the hierarchy) and the Linux kernel's VFIO (IOMMU
 * group viability, type-0 headers only, INTx and conventional PCI allowed, direct-mapped reserved memory
 * refused).
 */
public enum Target {
    @SerializedName("hyperv") HYPERV,
    @SerializedName("vfio") VFIO;

    /** The JSON / CLI spelling. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The hypervisor a platform runs: Windows hosts (live or recorded) Hyper-V, everything else VFIO. */
    public static Target forPlatform(String platform) {
        return "windows".equals(platform) ? HYPERV : VFIO;
    }

    /**
     * Parses {@code hyperv} / {@code vfio} (any case); null stays null (the platform decides).
     *
     * @throws EngineException InvalidArgument for anything else
     */
    public static Target parse(String s) {
        if (s == null) {
            return null;
        }
        for (Target t : values()) {
            if (t.id().equalsIgnoreCase(s.trim())) {
                return t;
            }
        }
        throw new EngineException(ErrorId.InvalidArgument,
                "Unknown target '" + s + "': use 'hyperv' or 'vfio'.", "target");
    }
}
