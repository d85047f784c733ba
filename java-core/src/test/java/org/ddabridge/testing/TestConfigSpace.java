package org.ddabridge.testing;

import org.ddabridge.pci.ConfigSpaceBuilder;

/**
 * Builds configuration-space images for tests: a header plus a capability chain from 0x40 and an
 * extended chain from 0x100, in the layouts the PCI/PCIe specifications define. (The decoder branch has
 * its own ConfigSpaceBuilder; this one is deliberately small and named differently.)
 */
public final class TestConfigSpace {
    private final byte[] c = new byte[4096];
    private int nextCap = 0x40;
    private int lastCapNext = 0x34;
    private int lastExt = -1;
    private int nextExt = 0x100;
    private int size = 4096;

    private TestConfigSpace(int vendor, int device, int classCode, int headerType) {
        w16(0, vendor);
        w16(2, device);
        c[0x09] = (byte) classCode;
        c[0x0a] = (byte) (classCode >> 8);
        c[0x0b] = (byte) (classCode >> 16);
        c[0x0e] = (byte) headerType;
    }

    /** A type-0 function. */
    public static TestConfigSpace endpoint(int vendor, int device, int classCode) {
        return new TestConfigSpace(vendor, device, classCode, 0);
    }

    /** A type-1 bridge with the given bus numbers. */
    public static TestConfigSpace bridge(int vendor, int device, int primary, int secondary, int subordinate) {
        TestConfigSpace t = new TestConfigSpace(vendor, device, 0x060400, 1);
        t.c[0x18] = (byte) primary;
        t.c[0x19] = (byte) secondary;
        t.c[0x1a] = (byte) subordinate;
        return t;
    }

    public TestConfigSpace multifunction() {
        c[0x0e] |= (byte) 0x80;
        return this;
    }

    /** Interrupt pin INTA. */
    public TestConfigSpace intx() {
        c[0x3d] = 1;
        return this;
    }

    /** Keep only the first 256 bytes (conventional PCI, or an lspci -xxx dump). */
    public TestConfigSpace conventionalSize() {
        size = 256;
        return this;
    }

    /**
     * PCIe capability: port type 0 endpoint, 1 legacy, 4 root port, 5 upstream, 6 downstream, 7 PCIe-to-PCI,
     * 9 RCiEP.
     */
    public TestConfigSpace pcie(int portType, boolean flr) {
        int p = cap(0x10, 0x3c);
        w16(p + 2, 2 | portType << 4);
        w32(p + 4, flr ? 1 << 28 : 0);
        return this;
    }

    public TestConfigSpace msi() {
        int p = cap(0x05, 0x18);
        w16(p + 2, 0x80);
        return this;
    }

    public TestConfigSpace msix(int vectors) {
        int p = cap(0x11, 0x0c);
        w16(p + 2, vectors - 1);
        return this;
    }

    public TestConfigSpace pm(boolean noSoftReset) {
        int p = cap(0x01, 0x08);
        w16(p + 2, 3);
        w16(p + 4, noSoftReset ? 0x08 : 0);
        return this;
    }

    /** ACS extended capability with capability and control registers. */
    public TestConfigSpace acs(int capability, int control) {
        int p = ext(0x000d, 8);
        w16(p + 4, capability);
        w16(p + 6, control);
        return this;
    }

    public byte[] build() {
        byte[] out = new byte[size];
        System.arraycopy(c, 0, out, 0, size);
        return out;
    }

    private int cap(int id, int len) {
        int p = nextCap;
        c[0x06] |= 0x10;
        c[lastCapNext] = (byte) p;
        c[p] = (byte) id;
        lastCapNext = p + 1;
        nextCap = (p + len + 3) & ~3;
        return p;
    }

    private int ext(int id, int len) {
        int p = nextExt;
        w32(p, id | 1 << 16);
        if (lastExt >= 0) {
            w32(lastExt, (int) (readU32(lastExt) | (long) p << 20));
        }
        lastExt = p;
        nextExt = (p + len + 3) & ~3;
        return p;
    }

    private long readU32(int off) {
        return (c[off] & 0xff) | (c[off + 1] & 0xff) << 8 | (c[off + 2] & 0xff) << 16
                | (long) (c[off + 3] & 0xff) << 24;
    }

    private void w16(int off, int v) {
        c[off] = (byte) v;
        c[off + 1] = (byte) (v >> 8);
    }

    private void w32(int off, int v) {
        w16(off, v);
        w16(off + 2, v >>> 16);
    }
}
