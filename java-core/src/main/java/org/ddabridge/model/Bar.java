package org.ddabridge.model;

/**
 * One base address register as the kernel allocated it.
 *
 * @param index        BAR number 0-5
 * @param start        bus address of the window (0 when unassigned)
 * @param size         bytes
 * @param type         {@code memory} or {@code io}
 * @param is64Bit      a 64-bit memory BAR (may be placed above 4 GiB)
 * @param prefetchable prefetchable memory
 */
public record Bar(int index, long start, long size, String type, boolean is64Bit, boolean prefetchable) {
    public static final String MEMORY = "memory";
    public static final String IO = "io";

    public boolean isMemory() {
        return MEMORY.equals(type);
    }
}
