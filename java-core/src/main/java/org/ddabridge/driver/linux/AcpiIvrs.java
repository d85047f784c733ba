package org.ddabridge.driver.linux;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.IvrsTable;
import org.ddabridge.model.IvrsTable.DeviceEntry;
import org.ddabridge.model.IvrsTable.EntryKind;
import org.ddabridge.model.IvrsTable.Ivhd;
import org.ddabridge.model.IvrsTable.Ivmd;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.SysFiles;

/**
 * The AMD IOMMU ACPI table {@code sys/firmware/acpi/tables/IVRS} (AMD I/O Virtualization Technology
 * specification, "IVRS"): a 36-byte ACPI header, IVinfo (4 bytes), 8 reserved bytes, then blocks of
 * {@code u8 type, u8 flags, u16 length}:
 *
 * <ul>
 *   <li>IVHD 10h (24-byte header) and 11h/40h (40-byte header): IOMMU device id, capability offset, base
 *       address, segment, info, then device entries whose length the type encodes (bits 7:6: 4, 8, 16, 32
 *       bytes; F0h ACPI HID entries are variable). Entries 1 (all), 2 (select), 3/4 (range start/end), 42h
 *       (alias select), 43h (alias range start), 46h/47h (extended select / range start), 48h (special:
 *       IOAPIC, HPET), F0h (ACPI HID);</li>
 *   <li>IVMD 20h/21h/22h (32 bytes): flags, device id, auxiliary data (range end for 22h), start address and
 *       length.</li>
 * </ul>
 *
 * Parsing never throws: a truncated or malformed block ends the walk and is listed in the findings.
 */
public final class AcpiIvrs {
    private static final int FIRST_BLOCK = 48;

    private AcpiIvrs() {
    }

    /** The raw table, or an empty array when the host has none. */
    public static byte[] query(HostRoot root) {
        return SysFiles.readBytes(root.sys("firmware/acpi/tables/IVRS"));
    }

    /** Parses an IVRS table; {@link IvrsTable#present()} is false for an empty or non-IVRS input. */
    public static IvrsTable parse(byte[] b) {
        List<String> findings = new ArrayList<>();
        if (b.length < FIRST_BLOCK || b[0] != 'I' || b[1] != 'V' || b[2] != 'R' || b[3] != 'S') {
            if (b.length > 0) {
                findings.add("not an IVRS table or shorter than 48 bytes (" + b.length + ")");
            }
            return new IvrsTable(false, 0, List.of(), List.of(), findings);
        }
        long declared = u32(b, 4);
        int end = (int) Math.min(b.length, declared);
        if (declared > b.length) {
            findings.add("table length " + declared + " exceeds the " + b.length + " bytes read");
        }
        long ivInfo = u32(b, 36);
        List<Ivhd> ivhds = new ArrayList<>();
        List<Ivmd> ivmds = new ArrayList<>();
        int off = FIRST_BLOCK;
        while (off + 4 <= end) {
            int type = b[off] & 0xff;
            int len = u16(b, off + 2);
            if (len < 4 || off + len > end) {
                findings.add(String.format("block type %02xh at 0x%x has bad length %d", type, off, len));
                break;
            }
            if (type == 0x10 || type == 0x11 || type == 0x40) {
                int header = type == 0x10 ? 24 : 40;
                if (len < header) {
                    findings.add(String.format("IVHD type %02xh at 0x%x shorter than its header (%d)", type, off, len));
                } else {
                    ivhds.add(new Ivhd(type, b[off + 1] & 0xff, u16(b, off + 4), u16(b, off + 16), u64(b, off + 8),
                            entries(b, off + header, off + len, findings)));
                }
            } else if (type == 0x20 || type == 0x21 || type == 0x22) {
                if (len < 32) {
                    findings.add(String.format("IVMD type %02xh at 0x%x shorter than 32 bytes (%d)", type, off, len));
                } else {
                    int devid = u16(b, off + 4);
                    int aux = u16(b, off + 6);
                    int first = type == 0x20 ? 0 : devid;
                    int last = type == 0x20 ? 0xffff : type == 0x21 ? devid : aux;
                    ivmds.add(new Ivmd(type, b[off + 1] & 0xff, first, last, u64(b, off + 16), u64(b, off + 24)));
                }
            }
            off += len;
        }
        return new IvrsTable(true, ivInfo, ivhds, ivmds, findings);
    }

    /** Device entries of one IVHD; range starts pair with the next end-of-range entry. */
    static List<DeviceEntry> entries(byte[] b, int from, int to, List<String> findings) {
        List<DeviceEntry> out = new ArrayList<>();
        int off = from;
        // An open range: its kind, first id, alias and DTE, until type 4 closes it.
        EntryKind openKind = null;
        int openFirst = 0;
        int openAlias = -1;
        int openDte = 0;
        while (off < to) {
            int type = b[off] & 0xff;
            int len = type == 0xf0 ? (off + 21 < to ? (b[off + 21] & 0xff) + 22 : -1) : 4 << (type >> 6);
            if (len <= 0 || off + len > to) {
                findings.add(String.format("device entry type %02xh at 0x%x runs past its IVHD", type, off));
                break;
            }
            int devid = u16(b, off + 1);
            int dte = b[off + 3] & 0xff;
            switch (type) {
                case 0x01 -> out.add(new DeviceEntry(EntryKind.ALL, 0, 0xffff, -1, dte, 0, 0, null));
                case 0x02, 0x46 -> out.add(new DeviceEntry(EntryKind.DEVICES, devid, devid, -1, dte, 0, 0, null));
                case 0x03, 0x47 -> {
                    openKind = EntryKind.DEVICES;
                    openFirst = devid;
                    openAlias = -1;
                    openDte = dte;
                }
                case 0x42 -> out.add(new DeviceEntry(EntryKind.ALIAS, devid, devid, u16(b, off + 5), dte, 0, 0, null));
                case 0x43 -> {
                    openKind = EntryKind.ALIAS;
                    openFirst = devid;
                    openAlias = u16(b, off + 5);
                    openDte = dte;
                }
                case 0x04 -> {
                    if (openKind == null) {
                        findings.add(String.format("end of range at 0x%x without a start", off));
                    } else if (devid < openFirst) {
                        findings.add(String.format("range at 0x%x ends (%s) before it starts (%s)", off,
                                IvrsTable.bdf(devid), IvrsTable.bdf(openFirst)));
                    } else {
                        out.add(new DeviceEntry(openKind, openFirst, devid, openAlias, openDte, 0, 0, null));
                    }
                    openKind = null;
                }
                case 0x48 -> {
                    int source = u16(b, off + 5);
                    out.add(new DeviceEntry(EntryKind.SPECIAL, source, source, -1, dte, b[off + 7] & 0xff,
                            b[off + 4] & 0xff, null));
                }
                case 0xf0 -> out.add(new DeviceEntry(EntryKind.ACPI_HID, devid, devid, -1, dte, 0, 0,
                        new String(b, off + 4, 8, StandardCharsets.US_ASCII).trim()));
                default -> {
                    // 0 is padding; other types are reserved and skipped by their encoded length.
                }
            }
            off += len;
        }
        if (openKind != null) {
            findings.add(String.format("range starting at %s never ends", IvrsTable.bdf(openFirst)));
        }
        return out;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int off) {
        return (u16(b, off) | (long) u16(b, off + 2) << 16) & 0xffffffffL;
    }

    private static long u64(byte[] b, int off) {
        return u32(b, off) | u32(b, off + 4) << 32;
    }
}
