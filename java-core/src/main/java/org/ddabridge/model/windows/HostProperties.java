package org.ddabridge.model.windows;

import java.util.List;

/**
 * What Windows and Hyper-V say about the host as a whole.
 *
 * @param hostname          computer name
 * @param osVersion         Windows version ({@code 10.0.22631}), or null
 * @param hyperVPresent     the Hyper-V management service answers (root\virtualization\v2 reachable); null
 *                          when unknown
 * @param iovSupport        Hyper-V's verdict on I/O virtualization ({@code Get-VMHost}'s IovSupport, WMI
 *                          {@code Msvm_VirtualEthernetSwitchManagementCapabilities.IOVSupport}); null when unknown
 * @param iovSupportReasons why not, as Hyper-V words it; empty when none
 * @param source            {@code live} or the fixture path
 */
public record HostProperties(String hostname, String osVersion, Boolean hyperVPresent, Boolean iovSupport,
        List<String> iovSupportReasons, String source) {
    public HostProperties {
        iovSupportReasons = iovSupportReasons == null ? List.of() : List.copyOf(iovSupportReasons);
    }
}
