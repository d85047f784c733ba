package org.ddabridge.model;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

import org.ddabridge.util.Hex;
/**
 * Builds the Windows forms of a PCI function's identity so Hyper-V habits carry over to Linux.
 *
 * <ul>
 *   <li>Location path: {@code PCIROOT(r)#PCI(ddff)#PCI(ddff)…} with one {@code PCI(ddff)} hop for each
 *       function on the way from the root bus down to the device (device {@code dd} and function
 *       {@code ff} in upper-case hex). {@code r} is the root bus in hex; on a non-zero PCI domain it is
 *       {@code domain * 0x100 + root bus}, so paths stay unique across segments (Windows uses the
 *       host bridge's ACPI _UID there, which Linux does not expose).</li>
 *   <li>Instance id: {@code PCI\VEN_vvvv&DEV_dddd&SUBSYS_ssssvvvv&REV_rr\<suffix>}, the hardware-id part
 *       exactly as Windows writes it. Windows' own suffix is a hash the PnP manager keeps in the
 *       registry; ours is deterministic: {@code <depth>&<crc>&0&<ddff>} where depth is the number of
 *       hops from the root bus, crc the CRC-32 (upper-case hex, 8 digits) of the parent's location path
 *       and {@code ddff} the function's own hop. The same function at the same place always gets the
 *       same id, and two functions never share one.</li>
 * </ul>
 */
public final class WindowsIdentity {
    private WindowsIdentity() {
    }

    /** Location path for the chain root-to-device (last element = the device). */
    public static String locationPath(int rootDomain, int rootBus, List<PciAddress> chain) {
        StringBuilder sb = new StringBuilder(24 + 9 * chain.size());
        sb.append(rootPrefix(rootDomain, rootBus));
        for (PciAddress hop : chain) {
            sb.append("#PCI(").append(hop.slotHex()).append(')');
        }
        return sb.toString();
    }

    private static String rootPrefix(int rootDomain, int rootBus) {
        return "PCIROOT(" + Integer.toHexString(rootDomain * 0x100 + rootBus).toUpperCase(Locale.ROOT) + ")";
    }

    /** Instance id for a device whose location path is {@code locationPath}. */
    public static String instanceId(String vendorId, String deviceId, String subsystemVendorId, String subsystemId,
            String revision, String locationPath) {
        int cut = locationPath.lastIndexOf('#');
        String parentPath = cut < 0 ? locationPath : locationPath.substring(0, cut);
        String ownHop = cut < 0 ? "0000" : locationPath.substring(cut + 5, cut + 9);
        int depth = 0;
        for (int i = 0; i < locationPath.length(); i++) {
            if (locationPath.charAt(i) == '#') {
                depth++;
            }
        }
        CRC32 crc = new CRC32();
        crc.update(parentPath.getBytes(StandardCharsets.US_ASCII));
        return "PCI\\VEN_" + up(vendorId) + "&DEV_" + up(deviceId) + "&SUBSYS_" + up(subsystemId)
                + up(subsystemVendorId) + "&REV_" + up(revision) + "\\" + depth + "&"
                + Hex.padUpper(crc.getValue(), 8) + "&0&" + ownHop;
    }

    private static String up(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
