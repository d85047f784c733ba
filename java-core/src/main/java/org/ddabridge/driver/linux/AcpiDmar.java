package org.ddabridge.driver.linux;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.util.HostRoot;
import org.ddabridge.util.SysFiles;
import org.ddabridge.model.DmarTable;
import org.ddabridge.model.DmarTable.DeviceScope;
import org.ddabridge.model.DmarTable.Drhd;
import org.ddabridge.model.DmarTable.Rmrr;

/**
 * The Intel VT-d ACPI table {@code sys/firmware/acpi/tables/DMAR}: host address width, flags and the
 * remapping structures, of which the checker needs the DRHD units and the RMRR reserved regions with
 * their device scopes.
 *
 * <p>Layout (VT-d specification, chapter 8): a 36-byte ACPI header, host address width (1 byte), flags
 * (1 byte: bit 0 interrupt remapping supported, bit 1 x2APIC opt-out, bit 2 DMA control opt-in), 10
 * reserved bytes, then structures of {@code u16 type, u16 length}. Parsing never throws: a truncated or
 * malformed structure ends the walk and is listed in {@link DmarTable#findings()}.
 */
public final class AcpiDmar {
    /** Structure types. */
    static final int DRHD = 0;
    static final int RMRR = 1;

    private static final int HEADER = 36;
    private static final int FIRST_STRUCTURE = 48;

    private AcpiDmar() {
    }

    /** The raw table, or an empty array when the host has none. */
    public static byte[] query(HostRoot root) {
        return SysFiles.readBytes(root.sys("firmware/acpi/tables/DMAR"));
    }

    /** Parses a DMAR table; {@link DmarTable#present()} is false for an empty or non-DMAR input. */
    public static DmarTable parse(byte[] b) {
        List<String> findings = new ArrayList<>();
        if (b.length < FIRST_STRUCTURE || b[0] != 'D' || b[1] != 'M' || b[2] != 'A' || b[3] != 'R') {
            if (b.length > 0) {
                findings.add("not a DMAR table or shorter than 48 bytes (" + b.length + ")");
            }
            return new DmarTable(false, 0, -1, List.of(), List.of(), findings);
        }
        long declared = u32(b, 4);
        int end = (int) Math.min(b.length, declared);
        if (declared > b.length) {
            findings.add("table length " + declared + " exceeds the " + b.length + " bytes read");
        }
        int haw = (b[HEADER] & 0xff) + 1;
        int flags = b[HEADER + 1] & 0xff;
        List<Drhd> drhds = new ArrayList<>();
        List<Rmrr> rmrrs = new ArrayList<>();
        int off = FIRST_STRUCTURE;
        while (off + 4 <= end) {
            int type = u16(b, off);
            int len = u16(b, off + 2);
            if (len < 4 || off + len > end) {
                findings.add(String.format("structure at 0x%x has bad length %d", off, len));
                break;
            }
            if (type == DRHD && len >= 16) {
                int drhdFlags = b[off + 4] & 0xff;
                int segment = u16(b, off + 6);
                long base = u64(b, off + 8);
                drhds.add(new Drhd(segment, base, (drhdFlags & 1) != 0, scopes(b, off + 16, off + len, findings)));
            } else if (type == RMRR && len >= 24) {
                int segment = u16(b, off + 6);
                long base = u64(b, off + 8);
                long limit = u64(b, off + 16);
                rmrrs.add(new Rmrr(segment, base, limit, scopes(b, off + 24, off + len, findings)));
            }
            off += len;
        }
        return new DmarTable(true, haw, flags, List.copyOf(drhds), List.copyOf(rmrrs), List.copyOf(findings));
    }

    private static List<DeviceScope> scopes(byte[] b, int from, int to, List<String> findings) {
        List<DeviceScope> out = new ArrayList<>();
        int off = from;
        while (off + 6 <= to) {
            int type = b[off] & 0xff;
            int len = b[off + 1] & 0xff;
            if (len < 6 || off + len > to) {
                findings.add(String.format("device scope at 0x%x has bad length %d", off, len));
                break;
            }
            int enumId = b[off + 4] & 0xff;
            int startBus = b[off + 5] & 0xff;
            List<int[]> path = new ArrayList<>();
            for (int p = off + 6; p + 1 < off + len; p += 2) {
                path.add(new int[] {b[p] & 0xff, b[p + 1] & 0xff});
            }
            out.add(new DeviceScope(type, enumId, startBus, List.copyOf(path)));
            off += len;
        }
        return List.copyOf(out);
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
