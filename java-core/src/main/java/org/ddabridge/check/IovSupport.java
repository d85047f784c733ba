package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Hyper-V's host-wide answer to "can this machine give devices to VMs" ({@code Get-VMHost}'s
 * {@code IovSupport} and {@code IovSupportReasons}), from the host checks: false exactly when a check that
 * assignment on this host requires fails. On Windows those are Hyper-V's own ({@link HostReadiness#HYPERV_BLOCKING});
 * on Linux, where VFIO stands in for Hyper-V, the IOMMU present and enabled and interrupt remapping
 * ({@link HostReadiness#VFIO_BLOCKING}), the same hardware features Hyper-V's verdict rests on. {@code unknown}
 * and {@code warn} never make it false (as they never block).
 *
 * @param supported no required check fails
 * @param failing   the failing required checks, in the survey's order
 */
public record IovSupport(boolean supported, List<HostCheck> failing) {
    public IovSupport {
        failing = List.copyOf(failing);
    }

    public static IovSupport of(List<HostCheck> checks, String platform) {
        var required = "windows".equals(platform) ? HostReadiness.HYPERV_BLOCKING : HostReadiness.VFIO_BLOCKING;
        List<HostCheck> failing = new ArrayList<>();
        for (HostCheck c : checks) {
            if (c.status() == CheckStatus.FAIL && required.contains(c.id())) {
                failing.add(c);
            }
        }
        return new IovSupport(failing.isEmpty(), failing);
    }

    /** One line per failing check, the way Hyper-V lists its reasons: the check's message. */
    public List<String> reasons() {
        return failing.stream().map(c -> c.id() + ": " + c.message()).toList();
    }
}
