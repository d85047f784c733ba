package org.ddabridge.check;

import java.util.List;
import java.util.Map;

import org.ddabridge.model.HostUse;
/**
 * Everything a device rule may look at: the function's {@link DeviceFacts}, the facts of every other
 * function (for group mates), and what the host itself depends on. Platform-neutral: the same rules judge
 * Linux and Windows facts.
 *
 * @param facts   the function under test
 * @param all     address -> facts of every function on the host
 * @param hostUse what the host depends on ({@link HostUse#unknown()} where the platform does not say)
 * @param target  whose rules the reasons follow (rules differ where Hyper-V and VFIO differ)
 */
public record DeviceContext(DeviceFacts facts, Map<String, DeviceFacts> all, HostUse hostUse, Target target) {

    /** Judged for Linux VFIO. */
    public boolean vfio() {
        return target == Target.VFIO;
    }

    public String address() {
        return facts.address();
    }

    /** Another function's facts, or null when it is not on this host. */
    public DeviceFacts facts(String address) {
        return all.get(address);
    }

    /**
     * The group that decides what moves together: the live one when the kernel has formed it, else
     * predicted; empty when the platform has no IOMMU groups.
     */
    public List<String> effectiveGroup() {
        return facts.group() == null ? List.of() : facts.group().effective();
    }
}
