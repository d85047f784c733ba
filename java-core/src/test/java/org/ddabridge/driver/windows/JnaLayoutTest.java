package org.ddabridge.driver.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.platform.win32.Guid.GUID;

import org.junit.jupiter.api.Test;

import org.ddabridge.model.windows.MemoryRange;
/**
 * JNA declarations checked on Linux: structure sizes and offsets (these do not need Windows), and the
 * resource descriptor layouts decoded from byte arrays.
 */
class JnaLayoutTest {
    @Test
    void devpropkeyIsTwentyBytes() {
        DevPropKeyStructure k = DevPropKeyStructure.of(DevPropKeys.PCI_DEVICE_TYPE);
        assertEquals(16, new GUID().size(), "GUID");
        assertEquals(20, k.size(), "DEVPROPKEY = GUID + ULONG");
        assertEquals(0, k.offsetOf("fmtid"));
        assertEquals(16, k.offsetOf("pid"));
    }

    @Test
    void devpropkeyMemoryMatchesPciprop() {
        DevPropKeyStructure k = DevPropKeyStructure.of(DevPropKeys.PCI_REQUIRES_RESERVED_MEMORY_REGION);
        byte[] mem = k.getPointer().getByteArray(0, 20);
        byte[] guid = new byte[16];
        System.arraycopy(mem, 0, guid, 0, 16);
        assertArrayEquals(DevPropDecodingTest.PCI_FMTID_BYTES, guid);
        assertEquals(34, ByteBuffer.wrap(mem, 16, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    @Test
    void everyKeyHasAValidFmtid() {
        for (DevPropKeys.Key key : DevPropKeys.ALL) {
            assertTrue(Guids.isGuid(key.fmtid()), key.name());
            assertTrue(key.pid() > 0, key.name());
        }
    }

    @Test
    void memDesHeaderDecodes() {
        // Fixture: MEM_DES {Count 1, Type 1, Alloc_Base 0x6000000000, Alloc_End 0x61FFFFFFFF, Flags 0, Reserved 0}.
        ByteBuffer b = ByteBuffer.allocate(ResourceDescriptors.MEM_DES_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1).putInt(1).putLong(0x60_0000_0000L).putLong(0x61_FFFF_FFFFL).putInt(0).putInt(0);
        MemoryRange r = ResourceDescriptors.memory(b.array(), 32).orElseThrow();
        assertEquals(0x60_0000_0000L, r.start());
        assertEquals(8L << 30, r.size());
        assertTrue(r.aboveFourGiB());
        assertTrue(ResourceDescriptors.memory(new byte[16], 16).isEmpty(), "short");
    }

    @Test
    void irqDesHeaderDecodesUnsigned() {
        // Fixture: IRQ_DES_64 {Count 1, Type 4, Flags 0, Alloc_Num 0xFFFFFFFA (an MSI vector), Affinity}.
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1).putInt(4).putInt(0).putInt(0xFFFFFFFA).putLong(0xF);
        assertEquals(4294967290L, ResourceDescriptors.interrupt(b.array(), 24).orElseThrow());
        assertTrue(ResourceDescriptors.interrupt(new byte[8], 8).isEmpty());
    }
}
