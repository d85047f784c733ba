package org.ddabridge.pci;

/**
 * Bounds-checked little-endian reads over a copy of one function's configuration space.
 *
 * <p>Config space comes from files that may be short (an unprivileged sysfs read gives 64 bytes, an
 * {@code lspci -x} dump 64, {@code -xxx} 256) or corrupt, so a read past the end never throws: it
 * returns {@link #ABSENT}, and callers that need a whole structure ask {@link #has} first.
 */
public final class ConfigSpace {
    /** What every read past the end (or at a negative offset) returns; no real register reads as -1. */
    public static final int ABSENT = -1;
    /** Size of the conventional (type 0/1/2 header + standard capability) region. */
    public static final int LEGACY_SIZE = 256;
    /** Size of the PCI Express extended configuration space. */
    public static final int EXTENDED_SIZE = 4096;
    /** Bytes of the predefined header every function has. */
    public static final int HEADER_SIZE = 64;

    private final byte[] bytes;

    /** Wraps a copy of {@code config} (null reads as empty). */
    public ConfigSpace(byte[] config) {
        this(config == null ? new byte[0] : config.clone(), true);
    }

    private ConfigSpace(byte[] bytes, boolean owned) {
        this.bytes = bytes;
    }

    /**
     * Wraps {@code config} itself, for a reader that is done with it before it returns ({@link ConfigDecoder}):
     * a survey decodes each function's 4 KiB once or twice, and the copies were a tenth of what it allocated.
     */
    static ConfigSpace reading(byte[] config) {
        return new ConfigSpace(config == null ? new byte[0] : config, false);
    }

    /** Number of bytes available. */
    public int length() {
        return bytes.length;
    }

    /** True when {@code count} bytes starting at {@code offset} are all present. */
    public boolean has(int offset, int count) {
        return offset >= 0 && count >= 0 && (long) offset + count <= bytes.length;
    }

    /** Unsigned byte, or {@link #ABSENT}. */
    public int u8(int offset) {
        return has(offset, 1) ? bytes[offset] & 0xff : ABSENT;
    }

    /** Unsigned little-endian 16-bit word, or {@link #ABSENT}. */
    public int u16(int offset) {
        return has(offset, 2) ? (bytes[offset] & 0xff) | (bytes[offset + 1] & 0xff) << 8 : ABSENT;
    }

    /** Unsigned little-endian 32-bit word, or {@link #ABSENT} (a long, so all 32 bits fit). */
    public long u32(int offset) {
        if (!has(offset, 4)) {
            return ABSENT;
        }
        return (long) u16(offset) | (long) u16(offset + 2) << 16;
    }
}
