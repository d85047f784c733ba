package org.ddabridge.driver.linux;

import static org.ddabridge.testing.IvrsBytes.devid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.ddabridge.model.IvrsTable;
import org.ddabridge.model.IvrsTable.DeviceEntry;
import org.ddabridge.model.IvrsTable.EntryKind;
import org.ddabridge.testing.IvrsBytes;

/** The IVRS parser on tables built from the AMD IOMMU specification's layout. */
class AcpiIvrsTest {
    /** A desktop-like table: the same IOMMU as IVHD 10h and 40h, an FCH PCI bridge alias range, IVMDs. */
    static byte[] desktop() {
        return new IvrsBytes()
                .ivhd(0x10, devid(0, 0, 2), 0, 0xfeb80000L)
                .entry4(0x03, devid(0, 0, 0), 0).entry4(0x04, devid(0xff, 0x1f, 7), 0)
                .endIvhd()
                .ivhd(0x40, devid(0, 0, 2), 0, 0xfeb80000L)
                .entry4(0x03, devid(0, 0, 0), 0).entry4(0x04, devid(0, 0x14, 2), 0)
                .entry4(0x02, devid(0, 0x14, 3), 0xd7)
                // FCH PCI bridge 00:14.4: everything on its secondary bus 05 uses the bridge's id
                .alias(0x43, devid(5, 0, 0), devid(0, 0x14, 4)).entry4(0x04, devid(5, 0x1f, 7), 0)
                // one function aliasing to another on its own bus
                .alias(0x42, devid(6, 0, 1), devid(6, 0, 0))
                .special(0x21, devid(0, 0x14, 0), 1).special(0x00, devid(0, 0x14, 0), 2)
                .acpiHid(devid(0, 0x14, 5), "AMDI0020")
                .endIvhd()
                .ivmd(0x21, 0x07, devid(0, 0x12, 0), 0, 0xcb000000L, 0x100000)
                .ivmd(0x22, 0x0f, devid(3, 0, 0), devid(3, 0, 7), 0xfd000000L, 0x1000)
                .ivmd(0x20, 0x07, 0, 0, 0xdd000000L, 0x2000)
                .build();
    }

    @Test
    void headerBlocksAndEntries() {
        IvrsTable t = AcpiIvrs.parse(desktop());
        assertTrue(t.present());
        assertEquals(List.of(), t.findings());
        assertEquals(0x00203040L, t.ivInfo());
        assertEquals(2, t.ivhds().size());
        IvrsTable.Ivhd h = t.effectiveIvhds().get(0);
        assertEquals(1, t.effectiveIvhds().size(), "the kernel reads only the highest IVHD type");
        assertEquals(0x40, h.type());
        assertEquals(0xfeb80000L, h.baseAddress());
        assertEquals(devid(0, 0, 2), h.iommuDeviceId());
        DeviceEntry range = h.entries().get(0);
        assertEquals(EntryKind.DEVICES, range.kind());
        assertEquals(devid(0, 0, 0), range.first());
        assertEquals(devid(0, 0x14, 2), range.last());
        assertEquals(0xd7, h.entries().get(1).dte());
        DeviceEntry aliasRange = h.entries().get(2);
        assertEquals(EntryKind.ALIAS, aliasRange.kind());
        assertEquals(devid(5, 0x1f, 7), aliasRange.last());
        assertEquals(devid(0, 0x14, 4), aliasRange.alias());
        assertEquals(EntryKind.SPECIAL, h.entries().get(4).kind());
        assertEquals(DeviceEntry.IOAPIC, h.entries().get(4).variety());
        assertEquals(0x21, h.entries().get(4).handle());
        assertEquals(DeviceEntry.HPET, h.entries().get(5).variety());
        assertEquals("AMDI0020", h.entries().get(6).hid());
    }

    @Test
    void aliasesAndInterruptRemapping() {
        IvrsTable t = AcpiIvrs.parse(desktop());
        assertEquals(devid(0, 0x14, 4), t.aliasOf(0, devid(5, 3, 0)));
        assertEquals(devid(6, 0, 0), t.aliasOf(0, devid(6, 0, 1)));
        assertEquals(-1, t.aliasOf(0, devid(6, 0, 0)));
        assertEquals(-1, t.aliasOf(1, devid(5, 3, 0)), "another segment");
        assertTrue(t.interruptRemappingSupported(), "the IOAPIC is named");
        byte[] noIoapic = new IvrsBytes().ivhd(0x11, 2, 0, 0xfeb80000L).entry4(0x01, 0, 0).endIvhd().build();
        assertFalse(AcpiIvrs.parse(noIoapic).interruptRemappingSupported());
    }

    @Test
    void memoryDefinitions() {
        List<IvrsTable.Ivmd> m = AcpiIvrs.parse(desktop()).ivmds();
        assertEquals(3, m.size());
        assertTrue(m.get(0).covers(devid(0, 0x12, 0)) && !m.get(0).covers(devid(0, 0x12, 1)));
        assertTrue(m.get(0).direct());
        assertEquals("IVMD type 21h 0xcb000000-0xcb0fffff unity map r w for device 00:12.0", m.get(0).describe());
        assertTrue(m.get(1).covers(devid(3, 0, 5)) && !m.get(1).covers(devid(3, 1, 0)));
        assertFalse(m.get(1).direct(), "exclusion range");
        assertTrue(m.get(2).covers(devid(0x42, 0, 0)), "20h covers every device");
    }

    /** The same table as a file in tests/fixtures/acpi (for tools such as iasl -d); see its README. */
    @Test
    void fixtureFileIsTheConstructedTable() throws java.io.IOException {
        java.nio.file.Path p = java.nio.file.Path.of(System.getProperty("ddabridge.repo", ".."), "tests", "fixtures",
                "acpi", "ivrs-constructed-desktop.bin");
        byte[] file = java.nio.file.Files.readAllBytes(p);
        assertTrue(Arrays.equals(desktop(), file), "regenerate the fixture when the builder changes");
        IvrsTable t = AcpiIvrs.parse(file);
        assertEquals(List.of(), t.findings());
        assertEquals(3, t.ivmds().size());
    }

    @Test
    void malformedInputIsAFindingNeverAnException() {
        byte[] good = desktop();
        for (int cut = 0; cut < good.length; cut++) {
            IvrsTable t = AcpiIvrs.parse(Arrays.copyOf(good, cut));
            if (cut >= 48) {
                assertTrue(t.present());
                assertFalse(t.findings().isEmpty(), "cut at " + cut);
            }
        }
        byte[] openRange = new IvrsBytes().ivhd(0x40, 2, 0, 0).entry4(0x03, 0x100, 0).endIvhd().build();
        assertEquals(List.of("range starting at 01:00.0 never ends"), AcpiIvrs.parse(openRange).findings());
        byte[] badLength = new IvrsBytes().rawBlock((byte) 0x40, (byte) 0, (byte) 2, (byte) 0).build();
        assertTrue(AcpiIvrs.parse(badLength).findings().get(0).contains("bad length 2"));
        byte[] runaway = new IvrsBytes().ivhd(0x40, 2, 0, 0).raw((byte) 0x42, (byte) 0, (byte) 1).endIvhd().build();
        assertTrue(AcpiIvrs.parse(runaway).findings().get(0).contains("runs past its IVHD"));
        assertFalse(AcpiIvrs.parse(new byte[0]).present());
        assertFalse(AcpiIvrs.parse("DMAR".repeat(20).getBytes()).present());
    }
}
