package org.ddabridge.driver.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import org.ddabridge.model.DmarTable;
import org.ddabridge.testing.DmarBytes;
/** Fixtures: hand-built DMAR tables (VT-d spec chapter 8 layout). */
class AcpiDmarTest {
    @Test
    void parsesFlagsDrhdAndRmrrScopes() {
        byte[] t = new DmarBytes(0x05).drhdIncludeAll(0xfed90000L)
                .rmrr(0x7c000000L, 0x7c7fffffL, 1, 0, 0x14, 0) // USB controller 00:14.0
                .rmrr(0x7d000000L, 0x7dffffffL, 2, 0, 0x1c, 4, 0, 0) // sub-hierarchy below 1c.4 -> 00.0
                .build();
        DmarTable d = AcpiDmar.parse(t);
        assertTrue(d.present());
        assertEquals(39, d.hostAddressWidth());
        assertEquals(0x05, d.flags());
        assertTrue(d.interruptRemappingSupported());
        assertEquals(1, d.drhds().size());
        assertTrue(d.drhds().get(0).includeAll());
        assertEquals(0xfed90000L, d.drhds().get(0).registerBase());
        assertEquals(2, d.rmrrs().size());
        DmarTable.Rmrr usb = d.rmrrs().get(0);
        assertEquals(0x7c000000L, usb.base());
        assertEquals(0x7c7fffffL, usb.limit());
        assertEquals(1, usb.scopes().get(0).type());
        assertArrayEquals(new int[] {0x14, 0}, usb.scopes().get(0).path().get(0));
        DmarTable.DeviceScope sub = d.rmrrs().get(1).scopes().get(0);
        assertEquals(DmarTable.DeviceScope.PCI_SUB_HIERARCHY, sub.type());
        assertEquals(2, sub.path().size());
        assertEquals("bus 00 -> 1c.4 -> 00.0", sub.describe());
        assertTrue(d.findings().isEmpty());
    }

    @Test
    void flagsWithoutInterruptRemapping() {
        DmarTable d = AcpiDmar.parse(new DmarBytes(0x00).build());
        assertFalse(d.interruptRemappingSupported());
        assertTrue(d.rmrrs().isEmpty());
    }

    @Test
    void absentShortOrForeignTables() {
        assertFalse(AcpiDmar.parse(new byte[0]).present());
        assertTrue(AcpiDmar.parse(new byte[0]).findings().isEmpty());
        byte[] ivrs = new DmarBytes(1).build();
        ivrs[0] = 'I';
        assertFalse(AcpiDmar.parse(ivrs).present());
        assertFalse(AcpiDmar.parse(Arrays.copyOf(new DmarBytes(1).build(), 40)).present());
    }

    @Test
    void truncatedStructureEndsTheWalkWithAFinding() {
        byte[] t = new DmarBytes(1).drhdIncludeAll(0xfed90000L).rmrr(0x1000, 0x1fff, 1, 0, 0x14, 0).build();
        byte[] cut = Arrays.copyOf(t, t.length - 4);
        DmarTable d = AcpiDmar.parse(cut);
        assertTrue(d.present());
        assertEquals(1, d.drhds().size());
        assertEquals(0, d.rmrrs().size());
        assertEquals(2, d.findings().size(), d.findings().toString()); // declared length too long, bad structure
    }
}
