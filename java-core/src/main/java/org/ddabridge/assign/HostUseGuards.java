package org.ddabridge.assign;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.Reason;
import org.ddabridge.check.ReasonCode;
import org.ddabridge.model.HostUse;

/**
 * Dismount's and disable's host-use guards, built from the survey's own host-use reasons (the
 * {@code HostUseRule} over the one {@code HostUseReader}), so a survey and a dismount cannot disagree
 * about a device the host needs. The facts only refine which storage guard applies (root disk or other).
 */
public final class HostUseGuards {
    private HostUseGuards() {
    }

    /** The guards for one function from its survey report. */
    public static List<Guard> of(DeviceReport report, HostUse use) {
        String a = report.device().address();
        List<Guard> out = new ArrayList<>();
        for (Reason r : report.reasons()) {
            switch (r.code()) {
                case ReasonCode.HOST_STORAGE -> out.add(Guard.of(
                        use.rootDisk().contains(a) ? GuardCode.RootDisk : GuardCode.MountedFilesystem, a,
                        a + ": " + r.message()));
                case ReasonCode.HOST_DEVICE_IN_USE -> out.add(Guard.of(GuardCode.InUse, a, a + ": " + r.message()));
                case ReasonCode.HOST_NETWORK -> out.add(Guard.of(GuardCode.DefaultRouteNic, a,
                        a + ": " + r.message() + " The host would lose its network."));
                case ReasonCode.HOST_BOOT_DISPLAY -> out.add(Guard.of(GuardCode.BootVga, a,
                        a + " is the boot VGA device (the host's console)."));
                default -> {
                    // other reasons are the verdict's business, not a guard
                }
            }
        }
        return out;
    }
}
