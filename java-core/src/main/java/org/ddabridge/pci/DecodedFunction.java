package org.ddabridge.pci;

import java.util.List;
import java.util.Map;

/**
 * One function's decoded configuration space: the JSON of {@code decode} and the input of the checks.
 *
 * @param address              full address (with domain)
 * @param vendorId             4 hex digits
 * @param deviceId             4 hex digits
 * @param classCode            6 hex digits
 * @param headerType           0 endpoint, 1 bridge, 2 CardBus
 * @param multiFunction        header type bit 7
 * @param capabilities         standard list, each {@code {id, offset, name, …fields}}
 * @param extendedCapabilities extended list from 0x100, same shape
 * @param findings             malformed-input findings (loops, out-of-range pointers, truncation)
 */
public record DecodedFunction(
        String address,
        String vendorId,
        String deviceId,
        String classCode,
        int headerType,
        boolean multiFunction,
        int configSize,
        boolean interruptPin,
        List<Map<String, Object>> capabilities,
        List<Map<String, Object>> extendedCapabilities,
        Summaries.Pcie pcie,
        Summaries.Msi msi,
        Summaries.Msix msix,
        Summaries.Pm pm,
        Summaries.Acs acs,
        Summaries.Sriov sriov,
        Summaries.Bridge bridge,
        boolean ari,
        boolean ats,
        List<String> findings) {
    /**
     * The same decoding for the function at {@code other}: what decodes a config space is its bytes alone, so
     * functions that read byte for byte alike (a card's ports, a physical function's virtual functions) share
     * one decoding.
     */
    public DecodedFunction at(String other) {
        return other.equals(address) ? this : new DecodedFunction(other, vendorId, deviceId, classCode, headerType,
                multiFunction, configSize, interruptPin, capabilities, extendedCapabilities, pcie, msi, msix, pm, acs,
                sriov, bridge, ari, ats, findings);
    }
}
