package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns host checks that block every assignment on this host into device reasons for the headline
 * verdict: a device VFIO would accept is still not assignable here while the IOMMU is off. Only a
 * {@code fail} blocks; {@code unknown} (missing evidence, dumps) and {@code warn} (e.g. unsafe interrupts
 * allowed) do not. Which checks block depends on the target: VFIO needs an IOMMU the kernel uses and
 * interrupt remapping (vfio_iommu_type1 refuses without it unless allow_unsafe_interrupts is set, which
 * makes the check a warning); Hyper-V needs an IOMMU, itself, and its own I/O virtualization verdict.
 */
final class HostReadiness {
    static final Set<String> VFIO_BLOCKING = Set.of(HostChecks.IOMMU_PRESENT, HostChecks.IOMMU_ENABLED,
            HostChecks.INTERRUPT_REMAPPING);
    static final Set<String> HYPERV_BLOCKING = Set.of(HostChecks.IOMMU_PRESENT, HostChecks.HYPERV_PRESENT,
            HostChecks.IOV_SUPPORT);

    private HostReadiness() {
    }

    /**
     * The headline's extra reasons.
     *
     * @param checks   the host's checks
     * @param target   the target of the headline
     * @param platform the host's platform ({@code linux}, {@code windows}, {@code dump})
     */
    static List<Reason> blocking(List<HostCheck> checks, Target target, String platform) {
        List<Reason> out = new ArrayList<>();
        Set<String> ids = target == Target.VFIO ? VFIO_BLOCKING : HYPERV_BLOCKING;
        for (HostCheck c : checks) {
            if (c.status() == CheckStatus.FAIL && ids.contains(c.id())) {
                List<Evidence> ev = new ArrayList<>();
                ev.add(new Evidence("host check " + c.id(), "fail"));
                ev.addAll(c.evidence());
                out.add(new Reason(ReasonCode.HOST_NOT_READY, Severity.ERROR,
                        "Not assignable on this host now: host check " + c.id() + " fails (" + c.message() + ")",
                        ev, c.remediation(), c.nextCommand()));
            }
        }
        // A target that is not this platform's hypervisor is never "here": the device-only answer is in targets.
        if (target == Target.HYPERV && !"windows".equals(platform)) {
            out.add(new Reason(ReasonCode.HOST_NOT_READY, Severity.ERROR,
                    "Not assignable on this host now: Hyper-V does not run here (" + platform + " host). "
                            + "targets.hyperv says whether Hyper-V would accept the device.",
                    List.of(new Evidence("platform", platform)), null));
        } else if (target == Target.VFIO && "windows".equals(platform)) {
            out.add(new Reason(ReasonCode.HOST_NOT_READY, Severity.ERROR,
                    "Not assignable on this host now: VFIO is Linux's; this is a Windows host. targets.vfio says "
                            + "whether VFIO would accept the device.",
                    List.of(new Evidence("platform", platform)), null));
        }
        return out;
    }
}
