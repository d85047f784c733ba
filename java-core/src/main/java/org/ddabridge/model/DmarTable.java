package org.ddabridge.model;

import java.util.List;

/**
 * A parsed Intel VT-d DMAR table (parsed by {@code driver.linux.AcpiDmar}): the facts the checker reads.
 *
 * @param present           a DMAR table was there
 * @param hostAddressWidth  DMA physical address width in bits
 * @param flags             the flags byte, -1 when absent
 */
public record DmarTable(boolean present, int hostAddressWidth, int flags, List<Drhd> drhds, List<Rmrr> rmrrs,
        List<String> findings) {
    /** Flags bit 0: the platform supports interrupt remapping. */
    public static final int FLAG_INTR_REMAP = 0x01;
    public static final int FLAG_X2APIC_OPT_OUT = 0x02;
    public static final int FLAG_DMA_CTRL_PLATFORM_OPT_IN = 0x04;

    /** Flags bit 0. */
    public boolean interruptRemappingSupported() {
        return flags >= 0 && (flags & FLAG_INTR_REMAP) != 0;
    }

    /** A remapping hardware unit; {@code includeAll} covers every device of the segment not named elsewhere. */
    public record Drhd(int segment, long registerBase, boolean includeAll, List<DeviceScope> scopes) {
    }

    /** A reserved memory region the firmware keeps using for DMA on behalf of the scoped devices. */
    public record Rmrr(int segment, long base, long limit, List<DeviceScope> scopes) {
    }

    /**
     * A device scope: {@code type} 1 PCI endpoint, 2 PCI sub-hierarchy, 3 IOAPIC, 4 HPET, 5 ACPI namespace;
     * the path is (device, function) pairs walked from {@code startBus} through bridges.
     */
    public record DeviceScope(int type, int enumerationId, int startBus, List<int[]> path) {
        public static final int PCI_ENDPOINT = 1;
        public static final int PCI_SUB_HIERARCHY = 2;

        /** {@code 00:14.0/00.0}-style rendering for evidence. */
        public String describe() {
            StringBuilder sb = new StringBuilder(String.format("bus %02x", startBus));
            for (int[] p : path) {
                sb.append(String.format(" -> %02x.%x", p[0], p[1]));
            }
            return sb.toString();
        }

        /** By value, the path's pairs included (a record compares arrays by identity): equal tables are equal. */
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof DeviceScope d) || d.type != type || d.enumerationId != enumerationId
                    || d.startBus != startBus || d.path.size() != path.size()) {
                return false;
            }
            for (int i = 0; i < path.size(); i++) {
                if (!java.util.Arrays.equals(path.get(i), d.path.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = java.util.Objects.hash(type, enumerationId, startBus);
            for (int[] p : path) {
                h = 31 * h + java.util.Arrays.hashCode(p);
            }
            return h;
        }
    }
}
