package org.ddabridge.testing;

import java.io.ByteArrayOutputStream;

/**
 * Hand-built ACPI IVRS tables for tests, laid out after the AMD I/O Virtualization Technology (IOMMU)
 * specification's IVRS chapter: 36-byte ACPI header, IVinfo, 8 reserved bytes, then IVHD blocks (type 10h:
 * 24-byte header; 11h/40h: 40-byte header) with device entries, and 32-byte IVMD blocks.
 */
public final class IvrsBytes {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private ByteArrayOutputStream entries;
    private int ivhdType;
    private int ivhdDevid;
    private int ivhdSegment;
    private long ivhdBase;

    /** Opens an IVHD block; device entries follow until {@link #endIvhd()}. */
    public IvrsBytes ivhd(int type, int iommuDevid, int segment, long base) {
        entries = new ByteArrayOutputStream();
        ivhdType = type;
        ivhdDevid = iommuDevid;
        ivhdSegment = segment;
        ivhdBase = base;
        return this;
    }

    /** A 4-byte entry: 1 all, 2 select, 3 range start, 4 range end. */
    public IvrsBytes entry4(int type, int devid, int dte) {
        entries.writeBytes(new byte[] {(byte) type, (byte) devid, (byte) (devid >> 8), (byte) dte});
        return this;
    }

    /** An 8-byte alias entry: 42h select or 43h range start, using {@code alias} as requester id. */
    public IvrsBytes alias(int type, int devid, int alias) {
        entries.writeBytes(new byte[] {(byte) type, (byte) devid, (byte) (devid >> 8), 0, 0, (byte) alias,
            (byte) (alias >> 8), 0});
        return this;
    }

    /** An 8-byte special entry (48h): variety 1 IOAPIC, 2 HPET, with its handle and source requester id. */
    public IvrsBytes special(int handle, int sourceDevid, int variety) {
        entries.writeBytes(new byte[] {0x48, 0, 0, 0, (byte) handle, (byte) sourceDevid, (byte) (sourceDevid >> 8),
            (byte) variety});
        return this;
    }

    /** An F0h ACPI HID entry with an empty UID. */
    public IvrsBytes acpiHid(int devid, String hid) {
        byte[] e = new byte[22];
        e[0] = (byte) 0xf0;
        e[1] = (byte) devid;
        e[2] = (byte) (devid >> 8);
        byte[] h = hid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(h, 0, e, 4, Math.min(8, h.length));
        entries.writeBytes(e);
        return this;
    }

    /** Raw bytes inside the IVHD (to build malformed entries). */
    public IvrsBytes raw(byte... b) {
        entries.writeBytes(b);
        return this;
    }

    public IvrsBytes endIvhd() {
        int header = ivhdType == 0x10 ? 24 : 40;
        byte[] e = entries.toByteArray();
        byte[] s = new byte[header + e.length];
        s[0] = (byte) ivhdType;
        s[1] = 0x20; // coherent
        le(s, 2, s.length, 2);
        le(s, 4, ivhdDevid, 2);
        le(s, 6, 0x40, 2);
        le(s, 8, ivhdBase, 8);
        le(s, 16, ivhdSegment, 2);
        System.arraycopy(e, 0, s, header, e.length);
        body.writeBytes(s);
        return this;
    }

    /** An IVMD block: type 20h/21h/22h, flags (1 unity, 2 read, 4 write, 8 exclusion). */
    public IvrsBytes ivmd(int type, int flags, int devid, int aux, long start, long length) {
        byte[] s = new byte[32];
        s[0] = (byte) type;
        s[1] = (byte) flags;
        le(s, 2, 32, 2);
        le(s, 4, devid, 2);
        le(s, 6, aux, 2);
        le(s, 16, start, 8);
        le(s, 24, length, 8);
        body.writeBytes(s);
        return this;
    }

    /** Raw bytes at block level. */
    public IvrsBytes rawBlock(byte... b) {
        body.writeBytes(b);
        return this;
    }

    public byte[] build() {
        byte[] b = body.toByteArray();
        byte[] t = new byte[48 + b.length];
        t[0] = 'I';
        t[1] = 'V';
        t[2] = 'R';
        t[3] = 'S';
        le(t, 4, t.length, 4);
        t[8] = 2;
        le(t, 36, 0x00203040L, 4); // IVinfo: VAsize 64, PAsize 48, GVAsize 48 (as real AMD hosts report)
        System.arraycopy(b, 0, t, 48, b.length);
        System.arraycopy("DDABRG".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, t, 10, 6);
        int sum = 0;
        for (byte x : t) {
            sum += x & 0xff;
        }
        t[9] = (byte) -sum; // ACPI checksum: all bytes add up to 0 mod 256
        return t;
    }

    /** Requester id of bus/device/function. */
    public static int devid(int bus, int dev, int fn) {
        return bus << 8 | dev << 3 | fn;
    }

    private static void le(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
