package org.ddabridge.pci;

import static org.ddabridge.pci.Bits.bit;
import static org.ddabridge.pci.Bits.field;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The table of standard (8-bit id) capabilities of the list at 0x34, with the decoders of the ones the
 * checks use. Register layouts follow the PCI Local Bus, PCI Power Management, MSI/MSI-X and PCI
 * Express Base specifications.
 */
public final class StandardCapabilities {
    public static final int POWER_MANAGEMENT = 0x01;
    public static final int MSI = 0x05;
    public static final int PCIX = 0x07;
    public static final int VENDOR_SPECIFIC = 0x09;
    public static final int PCI_EXPRESS = 0x10;
    public static final int MSIX = 0x11;
    public static final int ADVANCED_FEATURES = 0x13;

    /** PCIe Device/Port Type (PCIe capabilities register bits 7:4), indexed by the 4-bit code. */
    private static final String[] PORT_TYPES = {"Endpoint", "LegacyEndpoint", null, null, "RootPort",
        "UpstreamPort", "DownstreamPort", "PciePciBridge", "PciPcieBridge", "RcIntegratedEndpoint",
        "RcEventCollector"};

    /** Link speed codes of LnkCap/LnkSta (1 = 2.5 GT/s, Gen1) as text; the numeric code stays in the JSON. */
    private static final String[] LINK_SPEEDS = {null, "2.5GT/s", "5GT/s", "8GT/s", "16GT/s", "32GT/s", "64GT/s"};

    private static final Map<Integer, CapabilityType> TABLE = List.of(
            new CapabilityType(POWER_MANAGEMENT, "Power Management", 8, StandardCapabilities::powerManagement),
            CapabilityType.named(0x02, "AGP"),
            CapabilityType.named(0x03, "Vital Product Data"),
            CapabilityType.named(0x04, "Slot Identification"),
            new CapabilityType(MSI, "MSI", 4, StandardCapabilities::msi),
            CapabilityType.named(0x06, "CompactPCI Hot Swap"),
            CapabilityType.named(PCIX, "PCI-X"),
            CapabilityType.named(0x08, "HyperTransport"),
            new CapabilityType(VENDOR_SPECIFIC, "Vendor Specific", 3, StandardCapabilities::vendorSpecific),
            CapabilityType.named(0x0a, "Debug Port"),
            CapabilityType.named(0x0b, "CompactPCI Central Resource Control"),
            CapabilityType.named(0x0c, "PCI Hot-Plug"),
            new CapabilityType(0x0d, "Bridge Subsystem Vendor ID", 8, StandardCapabilities::subsystem),
            CapabilityType.named(0x0e, "AGP 8x"),
            CapabilityType.named(0x0f, "Secure Device"),
            new CapabilityType(PCI_EXPRESS, "PCI Express", 0x14, StandardCapabilities::pciExpress),
            new CapabilityType(MSIX, "MSI-X", 12, StandardCapabilities::msix),
            CapabilityType.named(0x12, "Serial ATA Data/Index Configuration"),
            new CapabilityType(ADVANCED_FEATURES, "Advanced Features", 6, StandardCapabilities::advancedFeatures),
            CapabilityType.named(0x14, "Enhanced Allocation"),
            CapabilityType.named(0x15, "Flattening Portal Bridge"))
            .stream().collect(Collectors.toUnmodifiableMap(CapabilityType::id, Function.identity()));

    private StandardCapabilities() {
    }

    /** The table row for {@code id}, or a name-only row for ids the specifications do not define. */
    static CapabilityType type(int id) {
        CapabilityType t = TABLE.get(id);
        return t != null ? t : CapabilityType.named(id, String.format("Unknown capability 0x%02x", id));
    }

    /** Port type name for a 4-bit Device/Port Type code. */
    public static String portTypeName(int code) {
        String s = code >= 0 && code < PORT_TYPES.length ? PORT_TYPES[code] : null;
        return s != null ? s : "Unknown(" + code + ")";
    }

    /** Link speed code as the spec writes it ({@code 2.5GT/s}), or {@code unknown} (e.g. 0 on RC-integrated ones). */
    public static String linkSpeedName(int code) {
        String s = code >= 0 && code < LINK_SPEEDS.length ? LINK_SPEEDS[code] : null;
        return s != null ? s : "unknown";
    }

    private static void powerManagement(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        int pmc = cs.u16(at + 2);
        int pmcsr = cs.u16(at + 4);
        out.put("version", field(pmc, 0, 3));
        out.put("d1Support", bit(pmc, 9));
        out.put("d2Support", bit(pmc, 10));
        out.put("pmeSupport", field(pmc, 11, 5));
        out.put("powerState", "D" + (field(pmcsr, 0, 2) == 3 ? "3hot" : String.valueOf(field(pmcsr, 0, 2))));
        // NoSoftRst (PMCSR bit 3): set means D3hot->D0 keeps the function's state, so a PM reset is useless.
        out.put("noSoftReset", bit(pmcsr, 3));
    }

    /**
     * PCI Advanced Features (conventional PCI ECN): AFCap at +3 says whether Transactions Pending and
     * function-level reset are supported, the way conventional functions (e.g. chipset USB) offer an FLR.
     */
    private static void advancedFeatures(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        int afCap = cs.u8(at + 3);
        out.put("length", cs.u8(at + 2));
        out.put("transactionsPending", bit(afCap, 0));
        out.put("flr", bit(afCap, 1));
    }

    private static void msi(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        int ctl = cs.u16(at + 2);
        out.put("enabled", bit(ctl, 0));
        // Multiple Message Capable is log2 of the vector count; codes 6 and 7 are reserved.
        int mmc = field(ctl, 1, 3);
        if (mmc > 5) {
            finding.accept(String.format("MSI capability at 0x%02x: reserved Multiple Message Capable code %d",
                    at, mmc));
        }
        out.put("count", 1 << mmc);
        out.put("countEnabled", 1 << field(ctl, 4, 3));
        out.put("is64Bit", bit(ctl, 7));
        out.put("perVectorMask", bit(ctl, 8));
    }

    private static void msix(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        int ctl = cs.u16(at + 2);
        long table = cs.u32(at + 4);
        long pba = cs.u32(at + 8);
        out.put("enabled", bit(ctl, 15));
        out.put("functionMask", bit(ctl, 14));
        // Table Size is encoded as N-1.
        out.put("tableSize", field(ctl, 0, 11) + 1);
        out.put("tableBar", field(table, 0, 3));
        out.put("tableOffset", table & ~7L);
        out.put("pbaBar", field(pba, 0, 3));
        out.put("pbaOffset", pba & ~7L);
    }

    private static void vendorSpecific(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        out.put("length", cs.u8(at + 2));
    }

    private static void subsystem(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        out.put("subsystemVendorId", Bits.hex4(cs.u16(at + 4)));
        out.put("subsystemId", Bits.hex4(cs.u16(at + 6)));
    }

    private static void pciExpress(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        int flags = cs.u16(at + 2);
        long devCap = cs.u32(at + 4);
        long linkCap = cs.u32(at + 0x0c);
        int linkStatus = cs.u16(at + 0x12);
        int type = field(flags, 4, 4);
        out.put("version", field(flags, 0, 4));
        out.put("portTypeCode", type);
        out.put("portType", portTypeName(type));
        out.put("slotImplemented", bit(flags, 8));
        out.put("interruptMessageNumber", field(flags, 9, 5));
        out.put("maxPayload", 128 << field(devCap, 0, 3));
        out.put("flr", bit(devCap, 28));
        out.put("linkSpeedMax", field(linkCap, 0, 4));
        out.put("linkWidthMax", field(linkCap, 4, 6));
        out.put("portNumber", field(linkCap, 24, 8));
        out.put("linkSpeed", field(linkStatus, 0, 4));
        out.put("linkWidth", field(linkStatus, 4, 6));
    }
}
