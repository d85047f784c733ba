package org.ddabridge.model.windows;

/**
 * One memory range allocated to a device node (a {@code MEM_DES}/{@code MEM_LARGE_DES} of its allocated
 * configuration, or a {@code Win32_DeviceMemoryAddress}). Bounds are inclusive, as Windows reports them.
 *
 * @param start first byte
 * @param end   last byte
 */
public record MemoryRange(long start, long end) {
    /** Bytes in the range. */
    public long size() {
        return end - start + 1;
    }

    /** True when any part lies at or above 4 GiB (the VM's high MMIO gap serves it). */
    public boolean aboveFourGiB() {
        return Long.compareUnsigned(end, 0xFFFF_FFFFL) > 0;
    }

    @Override
    public String toString() {
        return String.format("0x%x-0x%x", start, end);
    }
}
