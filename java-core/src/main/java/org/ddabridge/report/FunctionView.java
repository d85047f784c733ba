package org.ddabridge.report;

import java.util.List;
import java.util.Map;

/**
 * One PCI function of a survey as the report shows it.
 *
 * @param parent         upstream bridge address, or null on a root bus
 * @param iommuGroup     the kernel's group number, or null (IOMMU off, dumps, Windows)
 * @param predictedGroup members of the group predicted from the topology (sorted; may be empty)
 * @param verdict        the headline verdict ({@code Assignable}, {@code AssignableWithWarnings},
 *                       {@code NotAssignable})
 * @param targetVerdicts verdict per target ({@code hyperv}, {@code vfio}) when the survey has per-target
 *                       verdicts ({@code targets}); empty otherwise
 * @param portType       the PCIe port type from the device-type evidence ({@code RootPort}, {@code UpstreamPort},
 *                       {@code DownstreamPort}, …; {@code None} without a PCIe capability), or null
 * @param mmioBelow      MMIO bytes below 4 GiB, or -1 when the survey has none
 * @param mmioAbove      MMIO bytes above 4 GiB, or -1 when the survey has none
 */
public record FunctionView(
        String address,
        String parent,
        String locationPath,
        String instanceId,
        String vendorId,
        String deviceId,
        String classCode,
        String className,
        String vendorName,
        String deviceName,
        String driver,
        Integer iommuGroup,
        List<String> predictedGroup,
        List<String> mustMoveWith,
        String verdict,
        Map<String, String> targetVerdicts,
        List<ReasonView> reasons,
        List<String> resetMethods,
        String portType,
        long mmioBelow,
        long mmioAbove) {

    /** The verdict for {@code target}; the headline verdict when the survey has none per target. */
    public String verdictFor(String target) {
        String v = target == null ? null : targetVerdicts.get(target);
        return v == null ? verdict : v;
    }

    /** {@code vvvv:dddd}, the model key of the fleet matrix. */
    public String ids() {
        return vendorId + ":" + deviceId;
    }

    /** Vendor and device name (or the ids when the names are unknown). */
    public String displayName() {
        String v = vendorName == null ? "" : vendorName.replace(" Corporation", "");
        String d = deviceName == null ? "" : deviceName;
        String s = (v + " " + d).trim();
        return s.isEmpty() ? ids() : s;
    }

    /** Class code's first two bytes: {@code 0600} host bridge, {@code 0604}/{@code 0609} PCI bridges. */
    public boolean isBridge() {
        return classCode != null && (classCode.startsWith("0604") || classCode.startsWith("0609"));
    }

    public boolean isHostBridge() {
        return classCode != null && classCode.startsWith("0600");
    }

    /** The group the report draws: the kernel's number, else the predicted members' key. */
    public String groupKey() {
        if (iommuGroup != null) {
            return iommuGroup.toString();
        }
        return predictedGroup.isEmpty() ? null : "~" + predictedGroup.get(0);
    }

    /** The group as the table shows it: {@code 11}, or {@code ~3 fn} / {@code ~alone} when predicted. */
    public String groupLabel() {
        if (iommuGroup != null) {
            return iommuGroup.toString();
        }
        if (predictedGroup.isEmpty()) {
            return "-";
        }
        return predictedGroup.size() == 1 ? "~alone" : "~" + predictedGroup.size() + " fn";
    }
}
