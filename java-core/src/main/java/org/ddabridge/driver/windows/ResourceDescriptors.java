package org.ddabridge.driver.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

import org.ddabridge.model.windows.MemoryRange;
/**
 * Decodes the resource descriptor headers {@code CM_Get_Res_Des_Data} returns (cfgmgr32.h), pure Java so the
 * layouts are tested on Linux.
 *
 * <ul>
 *   <li>{@code MEM_DES} / {@code MEM_LARGE_DES}: {@code DWORD Count; DWORD Type; DWORDLONG Alloc_Base;
 *       DWORDLONG Alloc_End; DWORD Flags; DWORD Reserved} = 32 bytes; base at 8, end (inclusive) at 16.</li>
 *   <li>{@code IRQ_DES_32} / {@code IRQ_DES_64}: {@code DWORD Count; DWORD Type; DWORD Flags; ULONG Alloc_Num;
 *       affinity…}; the allocated interrupt number at 12. Message-signalled interrupts carry numbers just
 *       below 2^32 (what WMI prints as {@code 42949…}); read as unsigned.</li>
 * </ul>
 */
public final class ResourceDescriptors {
    /** Bytes of a MEM_DES / MEM_LARGE_DES header. */
    public static final int MEM_DES_SIZE = 32;
    /** Bytes of an IRQ descriptor up to and including the allocated number. */
    public static final int IRQ_DES_MIN = 16;

    private ResourceDescriptors() {
    }

    /** The allocated range of a memory descriptor; empty when too short or unallocated. */
    public static Optional<MemoryRange> memory(byte[] data, int length) {
        if (data == null || Math.min(length, data.length) < 24) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long base = b.getLong(8);
        long end = b.getLong(16);
        if (Long.compareUnsigned(end, base) < 0 || (base == 0 && end == 0)) {
            return Optional.empty();
        }
        return Optional.of(new MemoryRange(base, end));
    }

    /** The allocated interrupt number of an IRQ descriptor (unsigned 32-bit); empty when too short. */
    public static Optional<Long> interrupt(byte[] data, int length) {
        if (data == null || Math.min(length, data.length) < IRQ_DES_MIN) {
            return Optional.empty();
        }
        return Optional.of(ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(12) & 0xFFFF_FFFFL);
    }
}
