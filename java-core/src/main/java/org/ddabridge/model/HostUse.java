package org.ddabridge.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ddabridge.survey.Survey;
/**
 * What the host itself uses PCI functions for: the boot display, the disks behind mounted file systems
 * and the network interfaces of the default route. Survey rules report these as reasons; the assignment
 * code uses the same facts as guards, so a device the host needs is never taken away by accident.
 *
 * @param bootVga      addresses of boot display devices
 * @param mounts       address -> mount points whose block device sits behind that function
 * @param defaultRoute address -> interface names carrying a default route
 * @param known        false when these facts could not be read (offline dump): nothing is known
 */
public record HostUse(Set<String> bootVga, Map<String, List<String>> mounts, Map<String, List<String>> defaultRoute,
        boolean known) {

    /** No facts at all (an lspci dump has no mounts or routes). */
    public static HostUse unknown() {
        return new HostUse(Set.of(), Map.of(), Map.of(), false);
    }

    /** True when the host needs {@code address} to keep running (storage or network). */
    public boolean isCritical(String address) {
        return mounts.containsKey(address) || defaultRoute.containsKey(address);
    }

    public boolean isBootVga(String address) {
        return bootVga.contains(address);
    }
}
