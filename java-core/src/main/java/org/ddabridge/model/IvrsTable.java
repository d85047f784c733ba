package org.ddabridge.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed AMD I/O Virtualization Reporting Structure (ACPI {@code IVRS}, parsed by
 * {@code driver.linux.AcpiIvrs}): the IOMMU units with the devices they translate for (IVHD blocks), and the
 * memory the firmware keeps using for DMA (IVMD blocks, AMD's counterpart of VT-d RMRRs). Device ids are
 * 16-bit requester ids ({@code bus << 8 | device << 3 | function}).
 *
 * @param present  an IVRS table was there
 * @param ivInfo   the IVinfo word (virtualization info: EFR support, address sizes)
 * @param ivhds    every IVHD block, of every type, in table order
 * @param ivmds    every IVMD block
 * @param findings what was malformed (the walk stops at a bad length)
 */
public record IvrsTable(boolean present, long ivInfo, List<Ivhd> ivhds, List<Ivmd> ivmds, List<String> findings) {
    public IvrsTable {
        ivhds = List.copyOf(ivhds);
        ivmds = List.copyOf(ivmds);
        findings = List.copyOf(findings);
    }

    /** No table. */
    public static IvrsTable absent() {
        return new IvrsTable(false, 0, List.of(), List.of(), List.of());
    }

    /**
     * One IOMMU unit's block. Firmware describes each unit once per IVHD type it supports (10h, 11h, 40h);
     * the kernel reads only the blocks of the highest type present, see {@link #effectiveIvhds()}.
     *
     * @param type          10h, 11h or 40h
     * @param flags         IVHD flags (coherent, IOTLB, ...)
     * @param iommuDeviceId the IOMMU's own requester id
     * @param segment       PCI segment group
     * @param baseAddress   IOMMU register base
     * @param entries       device entries, ranges already paired
     */
    public record Ivhd(int type, int flags, int iommuDeviceId, int segment, long baseAddress,
            List<DeviceEntry> entries) {
        public Ivhd {
            entries = List.copyOf(entries);
        }
    }

    /** What a device entry describes. */
    public enum EntryKind {
        /** Type 1: every device of the segment. */
        ALL,
        /** Types 2, 46h (single device) and 3/47h..4 (a range). */
        DEVICES,
        /** Types 42h (one device) and 43h..4 (a range): they use {@code alias} as requester id. */
        ALIAS,
        /** Type 48h: an IOAPIC ({@code variety} 1) or HPET (2) behind {@code first}. */
        SPECIAL,
        /** Type F0h: an ACPI namespace device ({@code hid}). */
        ACPI_HID
    }

    /**
     * One device entry.
     *
     * @param kind    what it is
     * @param first   first requester id covered
     * @param last    last requester id covered (= first for single entries)
     * @param alias   the requester id the devices use instead (ALIAS), else -1
     * @param dte     the DTE setting byte
     * @param variety SPECIAL: 1 IOAPIC, 2 HPET; else 0
     * @param handle  SPECIAL: the IOAPIC id / HPET number; else 0
     * @param hid     ACPI_HID: the hardware id; else null
     */
    public record DeviceEntry(EntryKind kind, int first, int last, int alias, int dte, int variety, int handle,
            String hid) {
        public static final int IOAPIC = 1;
        public static final int HPET = 2;

        public boolean covers(int devid) {
            return devid >= first && devid <= last;
        }
    }

    /**
     * A memory definition block.
     *
     * @param type   20h all peripherals, 21h one peripheral, 22h a range of peripherals
     * @param flags  bit 0 unity mapping, 1 read, 2 write, 3 exclusion range
     * @param first  first requester id (0 for 20h)
     * @param last   last requester id (ffff for 20h)
     * @param start  start address
     * @param length block length in bytes
     */
    public record Ivmd(int type, int flags, int first, int last, long start, long length) {
        public static final int UNITY = 0x01;
        public static final int READ = 0x02;
        public static final int WRITE = 0x04;
        public static final int EXCLUSION = 0x08;

        public boolean covers(int devid) {
            return devid >= first && devid <= last;
        }

        /**
         * The kernel reports it to VFIO as a direct (1:1) region, which VFIO refuses: every unity mapping that
         * is not an exclusion range (those become plain reserved regions).
         */
        public boolean direct() {
            return (flags & EXCLUSION) == 0;
        }

        public String describe() {
            String who = switch (type) {
                case 0x20 -> "all devices";
                case 0x21 -> String.format("device %s", IvrsTable.bdf(first));
                default -> String.format("devices %s-%s", IvrsTable.bdf(first), IvrsTable.bdf(last));
            };
            return String.format("IVMD type %02xh 0x%x-0x%x %s%s%s for %s", type, start, start + length - 1,
                    (flags & EXCLUSION) != 0 ? "exclusion range" : "unity map",
                    (flags & READ) != 0 ? " r" : "", (flags & WRITE) != 0 ? " w" : "", who);
        }
    }

    /** The blocks the kernel uses: those of the highest IVHD type present (40h over 11h over 10h). */
    public List<Ivhd> effectiveIvhds() {
        int best = -1;
        for (Ivhd h : ivhds) {
            if (h.type() == 0x10 || h.type() == 0x11 || h.type() == 0x40) {
                best = Math.max(best, h.type());
            }
        }
        List<Ivhd> out = new ArrayList<>();
        for (Ivhd h : ivhds) {
            if (h.type() == best) {
                out.add(h);
            }
        }
        return out;
    }

    /** The requester id {@code devid} of {@code segment} uses for DMA per the alias entries, or -1. */
    public int aliasOf(int segment, int devid) {
        for (Ivhd h : effectiveIvhds()) {
            if (h.segment() != segment) {
                continue;
            }
            for (DeviceEntry e : h.entries()) {
                if (e.kind() == EntryKind.ALIAS && e.covers(devid)) {
                    return e.alias();
                }
            }
        }
        return -1;
    }

    /**
     * Interrupt remapping can work: the kernel's AMD driver turns it off unless the IVHD blocks name the
     * IOAPICs (special entries of variety IOAPIC), so at least one must be there.
     */
    public boolean interruptRemappingSupported() {
        for (Ivhd h : effectiveIvhds()) {
            for (DeviceEntry e : h.entries()) {
                if (e.kind() == EntryKind.SPECIAL && e.variety() == DeviceEntry.IOAPIC) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code 00:14.0} for a requester id. */
    public static String bdf(int devid) {
        return String.format("%02x:%02x.%x", devid >> 8 & 0xff, devid >> 3 & 0x1f, devid & 7);
    }
}
