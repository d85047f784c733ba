package org.ddabridge.pci;

import static org.ddabridge.pci.Bits.bit;
import static org.ddabridge.pci.Bits.field;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The table of PCI Express extended capabilities (16-bit ids, list at 0x100) with the decoders of the
 * ones the checks use. Layouts follow the PCI Express Base specification.
 */
public final class ExtendedCapabilities {
    public static final int AER = 0x0001;
    public static final int DSN = 0x0003;
    public static final int VENDOR_SPECIFIC = 0x000b;
    public static final int ACS = 0x000d;
    public static final int ARI = 0x000e;
    public static final int ATS = 0x000f;
    public static final int SRIOV = 0x0010;
    public static final int PRI = 0x0013;
    public static final int RESIZABLE_BAR = 0x0015;
    public static final int PASID = 0x001b;
    public static final int DVSEC = 0x0023;
    public static final int VF_RESIZABLE_BAR = 0x0024;

    /** Resizable BAR: at most six BARs can be resizable. */
    private static final int MAX_REBAR_ENTRIES = 6;

    private static final Map<Integer, CapabilityType> TABLE = List.of(
            CapabilityType.named(0x0000, "Null"),
            new CapabilityType(AER, "Advanced Error Reporting", 0x1c, ExtendedCapabilities::aer),
            CapabilityType.named(0x0002, "Virtual Channel"),
            new CapabilityType(DSN, "Device Serial Number", 12, ExtendedCapabilities::dsn),
            CapabilityType.named(0x0004, "Power Budgeting"),
            CapabilityType.named(0x0005, "Root Complex Link Declaration"),
            CapabilityType.named(0x0006, "Root Complex Internal Link Control"),
            CapabilityType.named(0x0007, "Root Complex Event Collector Endpoint Association"),
            CapabilityType.named(0x0008, "Multi-Function Virtual Channel"),
            CapabilityType.named(0x0009, "Virtual Channel (MFVC present)"),
            CapabilityType.named(0x000a, "Root Complex Register Block Header"),
            new CapabilityType(VENDOR_SPECIFIC, "Vendor-Specific Extended", 8, ExtendedCapabilities::vendorSpecific),
            CapabilityType.named(0x000c, "Configuration Access Correlation"),
            new CapabilityType(ACS, "Access Control Services", 8, ExtendedCapabilities::acs),
            new CapabilityType(ARI, "Alternative Routing-ID Interpretation", 8, ExtendedCapabilities::ari),
            new CapabilityType(ATS, "Address Translation Services", 8, ExtendedCapabilities::ats),
            new CapabilityType(SRIOV, "Single Root I/O Virtualization", 0x24, ExtendedCapabilities::sriov),
            CapabilityType.named(0x0011, "Multi-Root I/O Virtualization"),
            CapabilityType.named(0x0012, "Multicast"),
            new CapabilityType(PRI, "Page Request Interface", 0x10, ExtendedCapabilities::pri),
            CapabilityType.named(0x0014, "Reserved for AMD"),
            new CapabilityType(RESIZABLE_BAR, "Resizable BAR", 12, ExtendedCapabilities::resizableBar),
            CapabilityType.named(0x0016, "Dynamic Power Allocation"),
            CapabilityType.named(0x0017, "TPH Requester"),
            CapabilityType.named(0x0018, "Latency Tolerance Reporting"),
            CapabilityType.named(0x0019, "Secondary PCI Express"),
            CapabilityType.named(0x001a, "Protocol Multiplexing"),
            new CapabilityType(PASID, "Process Address Space ID", 8, ExtendedCapabilities::pasid),
            CapabilityType.named(0x001c, "LN Requester"),
            CapabilityType.named(0x001d, "Downstream Port Containment"),
            CapabilityType.named(0x001e, "L1 PM Substates"),
            CapabilityType.named(0x001f, "Precision Time Measurement"),
            CapabilityType.named(0x0020, "PCI Express over M-PHY"),
            CapabilityType.named(0x0021, "FRS Queueing"),
            CapabilityType.named(0x0022, "Readiness Time Reporting"),
            new CapabilityType(DVSEC, "Designated Vendor-Specific", 10, ExtendedCapabilities::dvsec),
            new CapabilityType(VF_RESIZABLE_BAR, "VF Resizable BAR", 12, ExtendedCapabilities::resizableBar),
            CapabilityType.named(0x0025, "Data Link Feature"),
            CapabilityType.named(0x0026, "Physical Layer 16.0 GT/s"),
            CapabilityType.named(0x0027, "Lane Margining at the Receiver"),
            CapabilityType.named(0x0028, "Hierarchy ID"),
            CapabilityType.named(0x0029, "Native PCIe Enclosure Management"),
            CapabilityType.named(0x002a, "Physical Layer 32.0 GT/s"),
            CapabilityType.named(0x002b, "Alternate Protocol"),
            CapabilityType.named(0x002c, "System Firmware Intermediary"),
            CapabilityType.named(0x002d, "Shadow Functions"),
            CapabilityType.named(0x002e, "Data Object Exchange"),
            CapabilityType.named(0x002f, "Device 3"),
            CapabilityType.named(0x0030, "Integrity and Data Encryption"),
            CapabilityType.named(0x0031, "Physical Layer 64.0 GT/s"),
            CapabilityType.named(0x0032, "Flit Logging"),
            CapabilityType.named(0x0033, "Flit Performance Measurement"),
            CapabilityType.named(0x0034, "Flit Error Injection"))
            .stream().collect(Collectors.toUnmodifiableMap(CapabilityType::id, Function.identity()));

    private ExtendedCapabilities() {
    }

    /** The table row for {@code id}, or a name-only row for ids the specification does not define. */
    static CapabilityType type(int id) {
        CapabilityType t = TABLE.get(id);
        return t != null ? t : CapabilityType.named(id, String.format("Unknown extended capability 0x%04x", id));
    }

    private static void aer(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        out.put("uncorrectableStatus", cs.u32(at + 0x04));
        out.put("uncorrectableMask", cs.u32(at + 0x08));
        out.put("uncorrectableSeverity", cs.u32(at + 0x0c));
        out.put("correctableStatus", cs.u32(at + 0x10));
        out.put("correctableMask", cs.u32(at + 0x14));
        long capCtl = cs.u32(at + 0x18);
        out.put("firstErrorPointer", field(capCtl, 0, 5));
        out.put("ecrcGenerationCapable", bit(capCtl, 5));
        out.put("ecrcCheckCapable", bit(capCtl, 7));
    }

    private static void dsn(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        // The serial is a 64-bit value (an EUI-64 for many vendors): print the high dword first.
        long serial = cs.u32(at + 8) << 32 | cs.u32(at + 4);
        StringBuilder sb = new StringBuilder();
        for (int shift = 56; shift >= 0; shift -= 8) {
            sb.append(String.format("%02x", (serial >>> shift) & 0xff));
            if (shift > 0) {
                sb.append('-');
            }
        }
        out.put("serialNumber", sb.toString());
    }

    private static void vendorSpecific(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        long header = cs.u32(at + 4);
        out.put("vsecId", Bits.hex4(field(header, 0, 16)));
        out.put("vsecRevision", field(header, 16, 4));
        out.put("vsecLength", field(header, 20, 12));
    }

    private static void dvsec(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        long header1 = cs.u32(at + 4);
        out.put("dvsecVendorId", Bits.hex4(field(header1, 0, 16)));
        out.put("dvsecRevision", field(header1, 16, 4));
        out.put("dvsecLength", field(header1, 20, 12));
        out.put("dvsecId", Bits.hex4(cs.u16(at + 8)));
    }

    private static void acs(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        out.put("capability", AcsBits.of(cs.u16(at + 4)));
        out.put("control", AcsBits.of(cs.u16(at + 6)));
    }

    private static void ari(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        int cap = cs.u16(at + 4);
        out.put("mfvcGroups", bit(cap, 0));
        out.put("acsGroups", bit(cap, 1));
        out.put("nextFunction", field(cap, 8, 8));
    }

    private static void ats(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        int cap = cs.u16(at + 4);
        int ctl = cs.u16(at + 6);
        // Invalidate Queue Depth 0 means 32.
        int depth = field(cap, 0, 5);
        out.put("invalidateQueueDepth", depth == 0 ? 32 : depth);
        out.put("pageAlignedRequest", bit(cap, 5));
        out.put("enabled", bit(ctl, 15));
        out.put("smallestTranslationUnit", field(ctl, 0, 5));
    }

    private static void sriov(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        int ctl = cs.u16(at + 0x08);
        out.put("vfEnable", bit(ctl, 0));
        out.put("vfMemorySpaceEnable", bit(ctl, 3));
        out.put("ariHierarchy", bit(ctl, 4));
        out.put("initialVfs", cs.u16(at + 0x0c));
        out.put("totalVfs", cs.u16(at + 0x0e));
        out.put("numVfs", cs.u16(at + 0x10));
        out.put("functionDependencyLink", cs.u8(at + 0x12));
        out.put("vfOffset", cs.u16(at + 0x14));
        out.put("vfStride", cs.u16(at + 0x16));
        out.put("vfDeviceId", Bits.hex4(cs.u16(at + 0x1a)));
        out.put("supportedPageSizes", cs.u32(at + 0x1c));
        out.put("systemPageSize", cs.u32(at + 0x20));
    }

    private static void pri(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        out.put("enabled", bit(cs.u16(at + 4), 0));
        out.put("outstandingPageRequestCapacity", cs.u32(at + 8));
        out.put("outstandingPageRequestAllocation", cs.u32(at + 0x0c));
    }

    private static void pasid(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        int cap = cs.u16(at + 4);
        out.put("executePermission", bit(cap, 1));
        out.put("privilegedMode", bit(cap, 2));
        out.put("maxPasidWidth", field(cap, 8, 5));
        out.put("enabled", bit(cs.u16(at + 6), 0));
    }

    /**
     * Resizable BAR and VF Resizable BAR share one layout: pairs of (capability, control) dwords; the
     * first control register says how many pairs there are. Sizes are in MiB (bit n = 2^n MiB).
     */
    private static void resizableBar(ConfigSpace cs, int at, Map<String, Object> out, Consumer<String> finding) {
        int count = field(cs.u32(at + 8), 5, 3);
        out.put("barCount", count);
        if (count == 0 || count > MAX_REBAR_ENTRIES) {
            finding.accept(String.format("resizable BAR capability at 0x%03x declares %d BARs (1-6 allowed)", at, count));
        }
        List<Map<String, Object>> bars = new ArrayList<>();
        for (int i = 0; i < Math.min(count, MAX_REBAR_ENTRIES) && cs.has(at + 4 + 8 * i, 8); i++) {
            long cap = cs.u32(at + 4 + 8 * i);
            long ctl = cs.u32(at + 8 + 8 * i);
            List<Long> sizes = new ArrayList<>();
            for (int bit = 4; bit < 32; bit++) {
                if (bit(cap, bit)) {
                    sizes.add(1L << (bit - 4));
                }
            }
            Map<String, Object> bar = new LinkedHashMap<>();
            bar.put("bar", field(ctl, 0, 3));
            int current = field(ctl, 8, 6);
            bar.put("currentSizeMb", current < 63 ? 1L << current : -1L);
            bar.put("supportedSizesMb", sizes);
            bars.add(bar);
        }
        out.put("bars", bars);
    }
}
