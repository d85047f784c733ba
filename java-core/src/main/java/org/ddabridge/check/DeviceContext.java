package org.ddabridge.check;

import java.util.List;
import java.util.Map;

import org.ddabridge.check.PciTopology.Node;
import org.ddabridge.model.HostUse;
import org.ddabridge.model.IommuFacts;

/**
 * Everything a device rule may look at.
 *
 * @param node            the function under test
 * @param topology        the whole tree
 * @param isolation       ACS reasoning configured for this host
 * @param predictedGroups address -> predicted group members
 * @param liveGroups      address -> live group members (empty map when the IOMMU is off or for dumps)
 * @param hostUse         what the host depends on
 * @param reservedMemory  address -> RMRR description for functions named by a DMAR RMRR scope
 * @param iommu           host-wide IOMMU evidence
 */
public record DeviceContext(Node node, PciTopology topology, Isolation isolation,
        Map<String, List<String>> predictedGroups, Map<String, List<String>> liveGroups, HostUse hostUse,
        Map<String, String> reservedMemory, IommuFacts iommu) {

    public String address() {
        return node.address();
    }

    /** The group that decides what moves together: the live one when the kernel has formed it, else predicted. */
    public List<String> effectiveGroup() {
        List<String> live = liveGroups.get(address());
        return live != null ? live : predictedGroups.getOrDefault(address(), List.of(address()));
    }

    /** Config-space evidence source for a function. */
    static String cfg(String address) {
        return "config:" + address;
    }
}
