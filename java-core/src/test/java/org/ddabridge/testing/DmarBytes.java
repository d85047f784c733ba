package org.ddabridge.testing;

import java.io.ByteArrayOutputStream;

/** Hand-built ACPI DMAR tables for tests (VT-d spec chapter 8 layout). */
public final class DmarBytes {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final int flags;

    public DmarBytes(int flags) {
        this.flags = flags;
    }

    /** A DRHD with INCLUDE_PCI_ALL. */
    public DmarBytes drhdIncludeAll(long base) {
        byte[] s = new byte[16];
        le(s, 0, 0, 2);
        le(s, 2, 16, 2);
        s[4] = 1;
        le(s, 8, base, 8);
        body.writeBytes(s);
        return this;
    }

    /** An RMRR with one device scope of {@code scopeType} starting at {@code startBus} through (dev, fn) pairs. */
    public DmarBytes rmrr(long base, long limit, int scopeType, int startBus, int... devFnPairs) {
        int scopeLen = 6 + devFnPairs.length;
        byte[] s = new byte[24 + scopeLen];
        le(s, 0, 1, 2);
        le(s, 2, s.length, 2);
        le(s, 8, base, 8);
        le(s, 16, limit, 8);
        s[24] = (byte) scopeType;
        s[25] = (byte) scopeLen;
        s[29] = (byte) startBus;
        for (int i = 0; i < devFnPairs.length; i++) {
            s[30 + i] = (byte) devFnPairs[i];
        }
        body.writeBytes(s);
        return this;
    }

    public byte[] build() {
        byte[] b = body.toByteArray();
        byte[] t = new byte[48 + b.length];
        t[0] = 'D';
        t[1] = 'M';
        t[2] = 'A';
        t[3] = 'R';
        le(t, 4, t.length, 4);
        t[8] = 1;
        t[36] = 38; // host address width 39 bits, stored minus one
        t[37] = (byte) flags;
        System.arraycopy(b, 0, t, 48, b.length);
        return t;
    }

    private static void le(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
