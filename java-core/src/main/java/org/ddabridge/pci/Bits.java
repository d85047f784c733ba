package org.ddabridge.pci;

/** Bit-field helpers for register decoding (keeps the decoder tables one line per field). */
final class Bits {
    private Bits() {
    }

    /** {@code width} bits of {@code value} starting at bit {@code at}. */
    static int field(long value, int at, int width) {
        return (int) ((value >>> at) & ((1L << width) - 1));
    }

    static boolean bit(long value, int at) {
        return ((value >>> at) & 1) != 0;
    }

    /** Lower-case, zero-padded hex of a 16-bit id. */
    static String hex4(int value) {
        return String.format("%04x", value & 0xffff);
    }
}
