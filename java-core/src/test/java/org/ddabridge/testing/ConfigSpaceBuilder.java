package org.ddabridge.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ddabridge.pci.ConfigSpace;

/**
 * Builds configuration-space bytes for tests: a header, a standard capability chain and an extended
 * capability chain, linked in the order capabilities are added. Reusable by any test that needs a
 * hand-made function (checks, readiness rules).
 *
 * <pre>{@code
 * byte[] cfg = ConfigSpaceBuilder.endpoint(0x8086, 0x10c9)
 *         .pm(0x40, 3, true)
 *         .pcie(0x60, 2, 0, true)
 *         .acs(0x100, 0x1f, 0x1d)
 *         .build();
 * }</pre>
 *
 * <p>{@link #patch8}/{@link #patch16}/{@link #patch32} are applied after linking, to break chains on purpose.
 * The short forms without an offset ({@link #pcie(int, boolean)}, {@link #msi()}, {@link #msix(int)},
 * {@link #pm(boolean)}, {@link #acs(int, int)}) place each capability after the previous one (standard
 * chain from 0x40, extended chain from 0x100), for tests that care about the facts, not the layout.
 * The one config-space builder of the tests.
 */
public final class ConfigSpaceBuilder {
    private final byte[] data = new byte[ConfigSpace.EXTENDED_SIZE];
    private final List<Integer> standard = new ArrayList<>();
    private final List<int[]> extended = new ArrayList<>();
    private final List<int[]> patches = new ArrayList<>();
    private int size = ConfigSpace.EXTENDED_SIZE;
    private int nextCap = 0x40;
    private int nextExt = 0x100;

    private ConfigSpaceBuilder(int vendor, int device, int headerType) {
        u16(0x00, vendor).u16(0x02, device).u8(0x0e, headerType);
    }

    /** A type 0 (endpoint) header with the given ids, 4096 bytes. */
    public static ConfigSpaceBuilder endpoint(int vendor, int device) {
        return new ConfigSpaceBuilder(vendor, device, 0);
    }

    /** A type 0 (endpoint) header with ids and class code, 4096 bytes. */
    public static ConfigSpaceBuilder endpoint(int vendor, int device, int classCode) {
        return endpoint(vendor, device).classCode(classCode);
    }

    /** A type 1 (PCI-PCI bridge, class 06/04) header with its bus numbers, 4096 bytes. */
    public static ConfigSpaceBuilder bridge(int vendor, int device, int primary, int secondary, int subordinate) {
        return new ConfigSpaceBuilder(vendor, device, 1).classCode(0x060400).u8(0x18, primary).u8(0x19, secondary)
                .u8(0x1a, subordinate);
    }

    /** Interrupt pin INTA. */
    public ConfigSpaceBuilder intx() {
        return u8(0x3d, 1);
    }

    /** Keep only the first 256 bytes (conventional PCI, or an lspci -xxx dump). */
    public ConfigSpaceBuilder conventionalSize() {
        return size(ConfigSpace.LEGACY_SIZE);
    }

    /** Same as {@link #multiFunction()}. */
    public ConfigSpaceBuilder multifunction() {
        return multiFunction();
    }

    /** The next free standard capability offset, reserving {@code length} bytes. */
    private int placeCap(int length) {
        int p = nextCap;
        nextCap = (p + length + 3) & ~3;
        return p;
    }

    private int placeExt(int length) {
        int p = nextExt;
        nextExt = (p + length + 3) & ~3;
        return p;
    }

    /**
     * PCIe capability (version 2), placed after the previous one: port type 0 endpoint, 1 legacy, 4 root
     * port, 5 upstream, 6 downstream, 7 PCIe-to-PCI, 9 RCiEP.
     */
    public ConfigSpaceBuilder pcie(int portType, boolean flr) {
        return pcie(placeCap(0x3c), 2, portType, flr);
    }

    /** 64-bit MSI with one vector, placed after the previous capability. */
    public ConfigSpaceBuilder msi() {
        return msi(placeCap(0x18), 0, true, false);
    }

    /** MSI-X with {@code vectors} vectors, placed after the previous capability. */
    public ConfigSpaceBuilder msix(int vectors) {
        return msix(placeCap(0x0c), vectors, 0, 0, 0, 0, false);
    }

    /** Power Management version 3, placed after the previous capability. */
    public ConfigSpaceBuilder pm(boolean noSoftReset) {
        return pm(placeCap(0x08), 3, noSoftReset);
    }

    /** ACS with capability and control registers, placed after the previous extended capability. */
    public ConfigSpaceBuilder acs(int capability, int control) {
        return acs(placeExt(8), capability, control);
    }

    /** Final length of the bytes ({@code build} truncates to it). */
    public ConfigSpaceBuilder size(int bytes) {
        this.size = bytes;
        return this;
    }

    public ConfigSpaceBuilder multiFunction() {
        return u8(0x0e, data[0x0e] | 0x80);
    }

    public ConfigSpaceBuilder classCode(int code) {
        return u8(0x09, code).u8(0x0a, code >> 8).u8(0x0b, code >> 16);
    }

    public ConfigSpaceBuilder u8(int offset, int value) {
        data[offset] = (byte) value;
        return this;
    }

    public ConfigSpaceBuilder u16(int offset, int value) {
        return u8(offset, value).u8(offset + 1, value >> 8);
    }

    public ConfigSpaceBuilder u32(int offset, long value) {
        return u16(offset, (int) value).u16(offset + 2, (int) (value >> 16));
    }

    /** Adds a standard capability header (id) at {@code offset}; fill its registers with u8/u16/u32. */
    public ConfigSpaceBuilder capability(int offset, int id) {
        standard.add(offset);
        return u8(offset, id);
    }

    /** Adds an extended capability header (id, version) at {@code offset}. */
    public ConfigSpaceBuilder extendedCapability(int offset, int id, int version) {
        extended.add(new int[] {offset, id, version});
        return this;
    }

    /** Power Management: version and PMCSR NoSoftRst. */
    public ConfigSpaceBuilder pm(int offset, int version, boolean noSoftReset) {
        return capability(offset, 0x01).u16(offset + 2, version).u16(offset + 4, noSoftReset ? 0x8 : 0);
    }

    /** MSI with Multiple Message Capable {@code log2Count}. */
    public ConfigSpaceBuilder msi(int offset, int log2Count, boolean is64Bit, boolean perVectorMask) {
        int ctl = log2Count << 1 | (is64Bit ? 0x80 : 0) | (perVectorMask ? 0x100 : 0);
        return capability(offset, 0x05).u16(offset + 2, ctl);
    }

    /** MSI-X with {@code tableSize} vectors. */
    public ConfigSpaceBuilder msix(int offset, int tableSize, int tableBar, long tableOffset, int pbaBar,
            long pbaOffset, boolean enabled) {
        return capability(offset, 0x11).u16(offset + 2, (tableSize - 1) | (enabled ? 0x8000 : 0))
                .u32(offset + 4, tableOffset | tableBar).u32(offset + 8, pbaOffset | pbaBar);
    }

    /** PCI Express capability: version, device/port type code, FLR (DevCap bit 28). */
    public ConfigSpaceBuilder pcie(int offset, int version, int portType, boolean flr) {
        return capability(offset, 0x10).u16(offset + 2, version | portType << 4).u32(offset + 4, flr ? 1L << 28 : 0);
    }

    /** PCIe link registers: LnkCap max speed/width, LnkSta current speed/width. */
    public ConfigSpaceBuilder pcieLink(int pcieOffset, int maxSpeed, int maxWidth, int speed, int width) {
        return u32(pcieOffset + 0x0c, maxSpeed | maxWidth << 4).u16(pcieOffset + 0x12, speed | width << 4);
    }

    /** ACS extended capability with capability and control registers. */
    public ConfigSpaceBuilder acs(int offset, int capability, int control) {
        return extendedCapability(offset, 0x0d, 1).u16(offset + 4, capability).u16(offset + 6, control);
    }

    /** ARI extended capability. */
    public ConfigSpaceBuilder ari(int offset, int nextFunction) {
        return extendedCapability(offset, 0x0e, 1).u16(offset + 4, nextFunction << 8);
    }

    /** SR-IOV extended capability. */
    public ConfigSpaceBuilder sriov(int offset, int initialVfs, int totalVfs, int numVfs, int vfOffset, int vfStride,
            int vfDeviceId) {
        return extendedCapability(offset, 0x10, 1).u16(offset + 0x0c, initialVfs).u16(offset + 0x0e, totalVfs)
                .u16(offset + 0x10, numVfs).u16(offset + 0x14, vfOffset).u16(offset + 0x16, vfStride)
                .u16(offset + 0x1a, vfDeviceId);
    }

    /** Overwrites a byte after the chains are linked. */
    public ConfigSpaceBuilder patch8(int offset, int value) {
        patches.add(new int[] {offset, value & 0xff, 1});
        return this;
    }

    public ConfigSpaceBuilder patch16(int offset, int value) {
        return patch8(offset, value).patch8(offset + 1, value >> 8);
    }

    public ConfigSpaceBuilder patch32(int offset, long value) {
        return patch16(offset, (int) value).patch16(offset + 2, (int) (value >> 16));
    }

    /** Links the chains (status bit 4, pointer at 0x34 or 0x14 for CardBus, next pointers), patches, truncates. */
    public byte[] build() {
        byte[] out = data.clone();
        if (!standard.isEmpty()) {
            out[0x06] |= 0x10;
            int pointer = (out[0x0e] & 0x7f) == 2 ? 0x14 : 0x34;
            out[pointer] = standard.get(0).byteValue();
            for (int i = 0; i < standard.size(); i++) {
                out[standard.get(i) + 1] = (byte) (i + 1 < standard.size() ? standard.get(i + 1) : 0);
            }
        }
        if (!extended.isEmpty() && extended.get(0)[0] != ConfigSpace.LEGACY_SIZE) {
            // The extended list always starts at 0x100; use patch32 to build anything else on purpose.
            throw new IllegalStateException("the first extended capability must be at 0x100");
        }
        for (int i = 0; i < extended.size(); i++) {
            int[] e = extended.get(i);
            long next = i + 1 < extended.size() ? extended.get(i + 1)[0] : 0;
            long header = (e[1] & 0xffffL) | (long) (e[2] & 0xf) << 16 | next << 20;
            for (int b = 0; b < 4; b++) {
                out[e[0] + b] = (byte) (header >> (8 * b));
            }
        }
        for (int[] p : patches) {
            out[p[0]] = (byte) p[1];
        }
        return Arrays.copyOf(out, size);
    }
}
