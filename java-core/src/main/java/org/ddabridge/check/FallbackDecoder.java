package org.ddabridge.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ddabridge.pci.AcsBits;
import org.ddabridge.pci.DecodedFunction;
import org.ddabridge.pci.Summaries;

/**
 * Stand-in for {@code org.ddabridge.pci.ConfigDecoder} until that lands: decodes only the summary
 * fields the checks read (PCIe port type and FLR, MSI, MSI-X, PM NoSoftRst, ACS, bridge bus numbers,
 * header type, interrupt pin). Capability lists are left empty.
 */
final class FallbackDecoder {
    private static final String[] PORT_TYPES = {"Endpoint", "LegacyEndpoint", "Unknown(2)", "Unknown(3)", "RootPort",
        "UpstreamPort", "DownstreamPort", "PciePciBridge", "PciPcieBridge", "RcIntegratedEndpoint",
        "RcEventCollector"};

    private FallbackDecoder() {
    }

    static DecodedFunction decode(String address, byte[] c) {
        List<String> findings = new ArrayList<>();
        if (c.length < 64) {
            findings.add("config space shorter than 64 bytes (" + c.length + ")");
            return new DecodedFunction(address, "ffff", "ffff", "000000", 0, false, c.length, false, List.of(),
                    List.of(), null, null, null, null, null, null, null, false, false, findings);
        }
        int headerByte = u8(c, 0x0e);
        int headerType = headerByte & 0x7f;
        Summaries.Pcie pcie = null;
        Summaries.Msi msi = null;
        Summaries.Msix msix = null;
        Summaries.Pm pm = null;
        Summaries.Acs acs = null;
        Summaries.Sriov sriov = null;
        boolean ari = false;
        boolean ats = false;
        if ((u16(c, 0x06) & 0x10) != 0) {
            int ptr = u8(c, headerType == 2 ? 0x14 : 0x34) & 0xfc;
            Set<Integer> seen = new HashSet<>();
            while (ptr >= 0x40 && ptr + 2 <= Math.min(c.length, 256) && seen.add(ptr)) {
                int id = u8(c, ptr);
                if (id == 0x01 && ptr + 6 <= c.length) {
                    pm = new Summaries.Pm(u16(c, ptr + 2) & 7, (u16(c, ptr + 4) & 0x08) != 0);
                } else if (id == 0x05 && ptr + 4 <= c.length) {
                    int ctl = u16(c, ptr + 2);
                    msi = new Summaries.Msi(1 << ((ctl >> 1) & 7), (ctl & 0x80) != 0, (ctl & 0x100) != 0,
                            (ctl & 1) != 0);
                } else if (id == 0x10 && ptr + 8 <= c.length) {
                    int caps = u16(c, ptr + 2);
                    int type = (caps >> 4) & 0xf;
                    long devCap = u32(c, ptr + 4);
                    pcie = new Summaries.Pcie(caps & 0xf, type < PORT_TYPES.length ? PORT_TYPES[type]
                            : "Unknown(" + type + ")", (devCap & (1L << 28)) != 0, 0, 0, 0, 0, (caps & 0x100) != 0);
                } else if (id == 0x11 && ptr + 12 <= c.length) {
                    int ctl = u16(c, ptr + 2);
                    long table = u32(c, ptr + 4);
                    long pba = u32(c, ptr + 8);
                    msix = new Summaries.Msix((ctl & 0x7ff) + 1, (int) (table & 7), table & ~7L, (int) (pba & 7),
                            pba & ~7L, (ctl & 0x8000) != 0);
                }
                ptr = u8(c, ptr + 1) & 0xfc;
            }
        }
        if (c.length >= 0x104) {
            int off = 0x100;
            Set<Integer> seen = new HashSet<>();
            while (off >= 0x100 && off + 4 <= c.length && seen.add(off)) {
                long h = u32(c, off);
                if (h == 0 || h == 0xffffffffL) {
                    break;
                }
                int id = (int) (h & 0xffff);
                if (id == 0x000d && off + 8 <= c.length) {
                    acs = new Summaries.Acs(AcsBits.of(u16(c, off + 4)), AcsBits.of(u16(c, off + 6)));
                } else if (id == 0x000e) {
                    ari = true;
                } else if (id == 0x000f) {
                    ats = true;
                } else if (id == 0x0010 && off + 0x24 <= c.length) {
                    sriov = new Summaries.Sriov(u16(c, off + 0x0e), u16(c, off + 0x0c), u16(c, off + 0x10),
                            u16(c, off + 0x14), u16(c, off + 0x16), String.format("%04x", u16(c, off + 0x1a)));
                }
                off = (int) (h >>> 20) & 0xffc;
            }
        }
        Summaries.Bridge bridge = headerType == 1 || headerType == 2
                ? new Summaries.Bridge(u8(c, 0x18), u8(c, 0x19), u8(c, 0x1a)) : null;
        return new DecodedFunction(address, String.format("%04x", u16(c, 0)), String.format("%04x", u16(c, 2)),
                String.format("%02x%02x%02x", u8(c, 0x0b), u8(c, 0x0a), u8(c, 0x09)), headerType,
                (headerByte & 0x80) != 0, c.length, u8(c, 0x3d) != 0, List.<Map<String, Object>>of(),
                List.<Map<String, Object>>of(), pcie, msi, msix, pm, acs, sriov, bridge, ari, ats, findings);
    }

    private static int u8(byte[] c, int off) {
        return off < c.length ? c[off] & 0xff : 0;
    }

    private static int u16(byte[] c, int off) {
        return u8(c, off) | u8(c, off + 1) << 8;
    }

    private static long u32(byte[] c, int off) {
        return (u16(c, off) | (long) u16(c, off + 2) << 16) & 0xffffffffL;
    }
}
