package org.ddabridge.driver.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** GUID text/memory forms and DEVPROPTYPE decoding of raw property buffers, as CM_Get_DevNode_PropertyW fills them. */
class DevPropDecodingTest {
    // Fixture: the PCI property set's fmtid as pciprop.h defines it, and its in-memory bytes (Data1-3 little-endian).
    static final String PCI_FMTID = "{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}";
    static final byte[] PCI_FMTID_BYTES = {0x31, 0x2E, (byte) 0xB2, 0x3A, 0x64, (byte) 0x82, 0x4E, 0x4B,
        (byte) 0x9A, (byte) 0xF5, (byte) 0xA8, (byte) 0xD2, (byte) 0xD8, (byte) 0xE3, 0x3E, 0x62};

    @Test
    void guidToBytesUsesWindowsLayout() {
        assertArrayEquals(PCI_FMTID_BYTES, Guids.toBytes(PCI_FMTID));
        assertArrayEquals(PCI_FMTID_BYTES, Guids.toBytes("3ab22e31-8264-4b4e-9af5-a8d2d8e33e62"));
    }

    @Test
    void guidRoundTrips() {
        assertEquals("{3AB22E31-8264-4B4E-9AF5-A8D2D8E33E62}", Guids.fromBytes(PCI_FMTID_BYTES, 0));
        assertEquals("{A45C254E-DF1C-4EFD-8020-67D146A850E0}", Guids.canonical(DevPropKeys.DEVICE));
    }

    @Test
    void malformedGuidIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Guids.toBytes("{3AB22E31-8264-4b4e-9AF5}"));
        assertThrows(IllegalArgumentException.class, () -> Guids.fromBytes(new byte[15], 0));
    }

    @Test
    void uint32IsUnsignedLittleEndian() {
        assertEquals(2L, DevPropType.decode(DevPropType.UINT32, new byte[] {2, 0, 0, 0}, 4));
        assertEquals(0xFFFFFFFEL, DevPropType.decode(DevPropType.UINT32, new byte[] {-2, -1, -1, -1}, 4));
        assertEquals(-2L, DevPropType.decode(DevPropType.INT32, new byte[] {-2, -1, -1, -1}, 4));
        assertNull(DevPropType.decode(DevPropType.UINT32, new byte[] {1, 0}, 2), "short buffer");
    }

    @Test
    void booleanIsDevpropTrueOrFalse() {
        // DEVPROP_TRUE is 0xFF, DEVPROP_FALSE 0x00.
        assertEquals(true, DevPropType.decode(DevPropType.BOOLEAN, new byte[] {(byte) 0xFF}, 1));
        assertEquals(false, DevPropType.decode(DevPropType.BOOLEAN, new byte[] {0}, 1));
    }

    @Test
    void stringStopsAtNul() {
        byte[] b = "stornvme\0junk".getBytes(StandardCharsets.UTF_16LE);
        assertEquals("stornvme", DevPropType.decode(DevPropType.STRING, b, b.length));
    }

    @Test
    void stringListIsRegMultiSz() {
        List<String> paths = List.of("PCIROOT(0)#PCI(0100)#PCI(0000)", "ACPI(_SB_)#ACPI(PCI0)#ACPI(PEG0)#ACPI(PEGP)");
        byte[] b = DevPropType.encodeStringList(paths);
        assertEquals(0x2012, DevPropType.STRING_LIST);
        assertEquals(paths, DevPropType.decode(DevPropType.STRING_LIST, b, b.length));
        assertEquals(List.of(), DevPropType.decode(DevPropType.STRING_LIST, new byte[] {0, 0}, 2));
        // A list missing its final NUL still yields its strings.
        byte[] cut = "A\0B".getBytes(StandardCharsets.UTF_16LE);
        assertEquals(List.of("A", "B"), DevPropType.decode(DevPropType.STRING_LIST, cut, cut.length));
    }

    @Test
    void guidPropertyDecodesToText() {
        assertEquals("{3AB22E31-8264-4B4E-9AF5-A8D2D8E33E62}",
                DevPropType.decode(DevPropType.GUID, PCI_FMTID_BYTES, 16));
    }

    @Test
    void otherTypesBecomeHex() {
        assertEquals("0102ff", DevPropType.decode(DevPropType.BINARY, new byte[] {1, 2, -1}, 3));
        assertNull(DevPropType.decode(DevPropType.EMPTY, new byte[0], 0));
    }
}
