package org.ddabridge.check.windows;

import java.util.List;

import org.ddabridge.check.Reason;
import org.ddabridge.check.Verdict;
import org.ddabridge.model.PciDevice;
import org.ddabridge.platform.windows.WindowsPciFacts;

/**
 * The Windows survey's finding for one function.
 *
 * @param device   the mapped function
 * @param verdict  Assignable, AssignableWithWarnings or NotAssignable (same rule as Linux: {@link Verdict#of})
 * @param reasons  reasons in Microsoft's survey order; the survey stops at the first failure, so do we
 * @param mmioMiB  allocated memory rounded up to MiB (the survey's "MMIO gap space"); null when not checked
 * @param facts    the Windows facts judged
 */
public record WindowsDeviceReport(PciDevice device, Verdict verdict, List<Reason> reasons, Long mmioMiB,
        WindowsPciFacts facts) {
    public WindowsDeviceReport {
        reasons = List.copyOf(reasons);
    }
}
