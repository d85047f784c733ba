package org.ddabridge.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ddabridge.pci.AcsBits;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.pci.StandardCapabilities;

/**
 * The decoded capabilities in {@code lspci -vvv}'s notation for the fields both show ({@code Name+}/{@code Name-}
 * flags, its capability titles, {@code Count=enabled/capable}), so the two can be read side by side; what lspci
 * shows and we do not decode is left out rather than guessed.
 */
final class LspciNotation {
    private LspciNotation() {
    }

    /** The title line after {@code Capabilities: [xx]} and the indented detail lines of one capability. */
    record Lines(String title, List<String> details) {
    }

    static Lines standard(Map<String, Object> cap) {
        String name = String.valueOf(cap.get("name"));
        List<String> d = new ArrayList<>();
        int id = (Integer) cap.get("id");
        String title = switch (id) {
            case StandardCapabilities.POWER_MANAGEMENT -> {
                // lspci names the fourth state D3 (the register cannot tell D3hot from D3cold).
                d.add("Status: " + String.valueOf(cap.getOrDefault("powerState", "D?")).replace("D3hot", "D3")
                        + " NoSoftRst" + sign(cap.get("noSoftReset")));
                yield "Power Management version " + cap.get("version");
            }
            case StandardCapabilities.MSI -> "MSI: Enable" + sign(cap.get("enabled")) + " Count="
                    + cap.getOrDefault("countEnabled", "?") + "/" + cap.get("count") + " Maskable"
                    + sign(cap.get("perVectorMask")) + " 64bit" + sign(cap.get("is64Bit"));
            case StandardCapabilities.MSIX -> {
                d.add("Vector table: BAR=" + cap.get("tableBar") + " offset=" + hex8(cap.get("tableOffset")));
                d.add("PBA: BAR=" + cap.get("pbaBar") + " offset=" + hex8(cap.get("pbaOffset")));
                yield "MSI-X: Enable" + sign(cap.get("enabled")) + " Count=" + cap.get("tableSize") + " Masked"
                        + sign(cap.get("functionMask"));
            }
            case StandardCapabilities.PCI_EXPRESS -> {
                d.add("DevCap:\tMaxPayload " + cap.get("maxPayload") + " bytes, FLReset" + sign(cap.get("flr")));
                d.add("LnkCap:\tPort #" + cap.get("portNumber") + ", Speed "
                        + speed(cap.get("linkSpeedMax")) + ", Width x" + cap.get("linkWidthMax"));
                d.add("LnkSta:\tSpeed " + speed(cap.get("linkSpeed")) + ", Width x" + cap.get("linkWidth"));
                yield "Express (v" + cap.get("version") + ") " + portType(String.valueOf(cap.get("portType")))
                        + slot(String.valueOf(cap.get("portType")), cap.get("slotImplemented")) + ", MSI "
                        + String.format("%02x", (Integer) cap.getOrDefault("interruptMessageNumber", 0));
            }
            case 0x13 -> {
                d.add("AFCap: TP" + sign(cap.get("transactionsPending")) + " FLR" + sign(cap.get("flr")));
                yield "PCI Advanced Features";
            }
            default -> name;
        };
        return new Lines(title, d);
    }

    static Lines extended(Map<String, Object> cap, DecodedFunction f) {
        int id = (Integer) cap.get("id");
        List<String> d = new ArrayList<>();
        String title = String.valueOf(cap.get("name"));
        if (id == 0x0b && cap.get("vsecId") != null) {
            title = String.format("Vendor Specific Information: ID=%s Rev=%s Len=%03x <?>", cap.get("vsecId"),
                    cap.get("vsecRevision"), (Integer) cap.get("vsecLength"));
        } else if (id == 0x0d && f.acs() != null) {
            d.add("ACSCap:\t" + acs(f.acs().capability()));
            d.add("ACSCtl:\t" + acs(f.acs().control()));
        } else if (id == 0x10 && f.sriov() != null) {
            title = "Single Root I/O Virtualization (SR-IOV)";
            d.add(String.format("Initial VFs: %d, Total VFs: %d, Number of VFs: %d", f.sriov().initialVfs(),
                    f.sriov().totalVfs(), f.sriov().numVfs()));
            d.add(String.format("VF offset: %d, stride: %d, Device ID: %s", f.sriov().vfOffset(), f.sriov().vfStride(),
                    f.sriov().vfDeviceId()));
        }
        return new Lines(title, d);
    }

    /** lspci's ACSCap/ACSCtl words, in its order. */
    static String acs(AcsBits b) {
        return "SrcValid" + sign(b.srcValid()) + " TransBlk" + sign(b.transBlk()) + " ReqRedir" + sign(b.reqRedir())
                + " CmpltRedir" + sign(b.cmpltRedir()) + " UpstreamFwd" + sign(b.upstreamFwd()) + " EgressCtrl"
                + sign(b.egressCtrl()) + " DirectTrans" + sign(b.directTrans());
    }

    /** lspci shows the slot bit for the port types that may have a slot (root and downstream ports) only. */
    private static String slot(String portType, Object implemented) {
        return portType.equals("RootPort") || portType.equals("DownstreamPort") ? " (Slot" + sign(implemented) + ")" : "";
    }

    /** lspci's names of the PCIe device/port types. */
    static String portType(String type) {
        return switch (type) {
            case "Endpoint" -> "Endpoint";
            case "LegacyEndpoint" -> "Legacy Endpoint";
            case "RootPort" -> "Root Port";
            case "UpstreamPort" -> "Upstream Port";
            case "DownstreamPort" -> "Downstream Port";
            case "PciePciBridge" -> "PCI-Express to PCI/PCI-X Bridge";
            case "PciPcieBridge" -> "PCI/PCI-X to PCI-Express Bridge";
            case "RcIntegratedEndpoint" -> "Root Complex Integrated Endpoint";
            case "RcEventCollector" -> "Root Complex Event Collector";
            default -> type;
        };
    }

    private static String speed(Object code) {
        return code instanceof Integer i ? StandardCapabilities.linkSpeedName(i) : "unknown";
    }

    private static String hex8(Object v) {
        return v instanceof Number n ? String.format("%08x", n.longValue()) : String.valueOf(v);
    }

    static String sign(Object flag) {
        return Boolean.TRUE.equals(flag) ? "+" : "-";
    }
}
