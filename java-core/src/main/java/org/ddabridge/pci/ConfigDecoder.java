package org.ddabridge.pci;

import static org.ddabridge.pci.Bits.bit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes one function's configuration space (header, standard capability list, extended capability
 * list) into a {@link DecodedFunction}.
 *
 * <p>Input is untrusted (dumps, images, devices in error states), so every read is bounds-checked,
 * every list walk is guarded by a visited set and an iteration cap, and anything malformed becomes a
 * {@code findings} string instead of an exception or a hang.
 */
public final class ConfigDecoder {
    private static final int STATUS = 0x06;
    private static final int STATUS_CAP_LIST = 4;
    private static final int HEADER_TYPE = 0x0e;
    private static final int CAP_POINTER = 0x34;
    /** CardBus bridges keep their capability pointer at 0x14, where type 0/1 have a BAR. */
    private static final int CARDBUS_CAP_POINTER = 0x14;
    private static final int INTERRUPT_PIN = 0x3d;
    /** A standard capability is at least 4 bytes within 0x40-0xff: at most 48 of them fit. */
    private static final int MAX_STANDARD_CAPS = (ConfigSpace.LEGACY_SIZE - ConfigSpace.HEADER_SIZE) / 4;
    /** An extended capability is at least 4 bytes within 0x100-0xfff: at most 960 fit. */
    private static final int MAX_EXTENDED_CAPS = (ConfigSpace.EXTENDED_SIZE - ConfigSpace.LEGACY_SIZE) / 4;

    private ConfigDecoder() {
    }

    /**
     * Decodes {@code config} (any length, including empty) of the function at {@code address}.
     * Never throws for malformed input.
     */
    public static DecodedFunction decode(String address, byte[] config) {
        ConfigSpace cs = ConfigSpace.reading(config); // nothing decoded keeps it
        List<String> findings = new ArrayList<>();
        if (cs.length() < ConfigSpace.HEADER_SIZE) {
            findings.add(String.format("config space truncated: %d bytes, the header needs %d",
                    cs.length(), ConfigSpace.HEADER_SIZE));
        }
        int headerByte = cs.u8(HEADER_TYPE);
        int headerType = headerByte == ConfigSpace.ABSENT ? ConfigSpace.ABSENT : headerByte & 0x7f;
        if (headerType > 2) {
            findings.add(String.format("unknown header type 0x%02x", headerType));
        }
        // The capability pointer's place depends on the header layout: for a layout we do not know (0x7f is
        // what an absent, all-ones function reads) there is no list to walk; lspci does not walk one either.
        List<Map<String, Object>> caps = headerType > 2 ? List.of() : standardCapabilities(cs, headerType, findings);
        List<Map<String, Object>> ext = List.of();
        // Like the kernel (pci_cfg_space_size) and lspci, only PCI Express and PCI-X 2.0 functions have
        // extended space; on others 0x100+ often aliases 0x00-0xff and would decode as garbage.
        boolean extendedAllowed = first(caps, StandardCapabilities.PCI_EXPRESS) != null
                || first(caps, StandardCapabilities.PCIX) != null;
        if (cs.length() > ConfigSpace.LEGACY_SIZE && extendedAllowed) {
            ext = extendedCapabilities(cs, findings);
        }
        return new DecodedFunction(
                address,
                hexOrEmpty(cs.u16(0x00)),
                hexOrEmpty(cs.u16(0x02)),
                cs.has(0x09, 3) ? String.format("%02x%02x%02x", cs.u8(0x0b), cs.u8(0x0a), cs.u8(0x09)) : "",
                headerType,
                headerByte != ConfigSpace.ABSENT && bit(headerByte, 7),
                cs.length(),
                cs.u8(INTERRUPT_PIN) > 0,
                caps,
                ext,
                Summarize.pcie(first(caps, StandardCapabilities.PCI_EXPRESS)),
                Summarize.msi(first(caps, StandardCapabilities.MSI)),
                Summarize.msix(first(caps, StandardCapabilities.MSIX)),
                Summarize.pm(first(caps, StandardCapabilities.POWER_MANAGEMENT)),
                Summarize.acs(first(ext, ExtendedCapabilities.ACS)),
                Summarize.sriov(first(ext, ExtendedCapabilities.SRIOV)),
                bridge(cs, headerType),
                first(ext, ExtendedCapabilities.ARI) != null,
                first(ext, ExtendedCapabilities.ATS) != null,
                List.copyOf(findings));
    }

    private static List<Map<String, Object>> standardCapabilities(ConfigSpace cs, int headerType,
            List<String> findings) {
        List<Map<String, Object>> out = new ArrayList<>();
        int status = cs.u16(STATUS);
        if (status == ConfigSpace.ABSENT || !bit(status, STATUS_CAP_LIST)) {
            return out;
        }
        int pointerRegister = headerType == 2 ? CARDBUS_CAP_POINTER : CAP_POINTER;
        int raw = cs.u8(pointerRegister);
        if (raw == ConfigSpace.ABSENT) {
            findings.add(String.format("capability list: pointer register 0x%02x is beyond the %d bytes present",
                    pointerRegister, cs.length()));
            return out;
        }
        int at = aligned(raw, pointerRegister, findings);
        Set<Integer> visited = new HashSet<>();
        for (int steps = 0; at != 0; steps++) {
            if (steps >= MAX_STANDARD_CAPS) {
                findings.add("capability list: more than " + MAX_STANDARD_CAPS + " entries, stopped");
                break;
            }
            if (at < ConfigSpace.HEADER_SIZE) {
                findings.add(String.format("capability list: pointer 0x%02x points into the header", at));
                break;
            }
            if (!visited.add(at)) {
                findings.add(String.format("capability list: loop back to 0x%02x", at));
                break;
            }
            if (!cs.has(at, 2)) {
                findings.add(String.format("capability list: entry at 0x%02x is beyond the %d bytes present",
                        at, cs.length()));
                break;
            }
            int id = cs.u8(at);
            if (id == 0xff) {
                // All-ones is what a vanished device or a bad pointer reads; nothing after it is trustworthy.
                findings.add(String.format("capability list: entry at 0x%02x reads id 0xff (chain broken)", at));
                break;
            }
            out.add(entry(cs, at, StandardCapabilities.type(id), -1, findings));
            at = aligned(cs.u8(at + 1), at + 1, findings);
        }
        return out;
    }

    private static List<Map<String, Object>> extendedCapabilities(ConfigSpace cs, List<String> findings) {
        List<Map<String, Object>> out = new ArrayList<>();
        long first = cs.u32(ConfigSpace.LEGACY_SIZE);
        // An all-zero or all-ones first header is how "no extended capabilities" reads.
        if (first == 0 || first == 0xffffffffL || first == ConfigSpace.ABSENT) {
            return out;
        }
        int at = ConfigSpace.LEGACY_SIZE;
        Set<Integer> visited = new HashSet<>();
        for (int steps = 0; at != 0; steps++) {
            if (steps >= MAX_EXTENDED_CAPS) {
                findings.add("extended capability list: more than " + MAX_EXTENDED_CAPS + " entries, stopped");
                break;
            }
            if (at < ConfigSpace.LEGACY_SIZE) {
                findings.add(String.format("extended capability list: pointer 0x%03x is below 0x100", at));
                break;
            }
            if (!visited.add(at)) {
                findings.add(String.format("extended capability list: loop back to 0x%03x", at));
                break;
            }
            if (!cs.has(at, 4)) {
                findings.add(String.format("extended capability list: entry at 0x%03x is beyond the %d bytes present",
                        at, cs.length()));
                break;
            }
            long header = cs.u32(at);
            if (header == 0 || header == 0xffffffffL) {
                findings.add(String.format("extended capability list: entry at 0x%03x reads 0x%08x (chain broken)",
                        at, header));
                break;
            }
            int id = (int) (header & 0xffff);
            int version = (int) ((header >>> 16) & 0xf);
            out.add(entry(cs, at, ExtendedCapabilities.type(id), version, findings));
            int next = (int) (header >>> 20);
            if ((next & 3) != 0) {
                findings.add(String.format("extended capability list: next pointer 0x%03x at 0x%03x is not "
                        + "dword-aligned; low bits ignored", next, at));
                next &= ~3;
            }
            at = next;
        }
        return out;
    }

    /** One capability map: {@code id, offset, name, version?}, then the decoded fields. */
    private static Map<String, Object> entry(ConfigSpace cs, int at, CapabilityType type, int version,
            List<String> findings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", type.id());
        m.put("offset", at);
        m.put("name", type.name());
        if (version >= 0) {
            m.put("version", version);
        }
        if (cs.has(at, type.minLength())) {
            type.decoder().decode(cs, at, m, findings::add);
        } else {
            m.put("truncated", true);
            findings.add(String.format("%s capability at 0x%02x truncated: needs %d bytes, %d present", type.name(),
                    at, type.minLength(), Math.max(0, cs.length() - at)));
        }
        return m;
    }

    /** The pointer with its reserved low two bits cleared (as the spec says software must), noting when set. */
    private static int aligned(int pointer, int where, List<String> findings) {
        if ((pointer & 3) != 0) {
            findings.add(String.format("capability list: pointer 0x%02x at 0x%02x is not dword-aligned; "
                    + "low bits ignored", pointer, where));
        }
        return pointer & 0xfc;
    }

    private static Summaries.Bridge bridge(ConfigSpace cs, int headerType) {
        // Type 1 (PCI-PCI) and type 2 (CardBus) headers both hold primary/secondary/subordinate at 0x18.
        if ((headerType != 1 && headerType != 2) || !cs.has(0x18, 3)) {
            return null;
        }
        return new Summaries.Bridge(cs.u8(0x18), cs.u8(0x19), cs.u8(0x1a));
    }

    /** The first decoded capability with {@code id}, or null. */
    public static Map<String, Object> first(List<Map<String, Object>> caps, int id) {
        for (Map<String, Object> m : caps) {
            if (Integer.valueOf(id).equals(m.get("id"))) {
                return m;
            }
        }
        return null;
    }

    private static String hexOrEmpty(int value) {
        return value == ConfigSpace.ABSENT ? "" : Bits.hex4(value);
    }
}
