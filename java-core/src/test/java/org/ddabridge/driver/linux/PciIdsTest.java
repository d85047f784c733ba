package org.ddabridge.driver.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PciIdsTest {
    // Fixture: an excerpt in pci.ids format (vendor, device, subsystem, class, subclass, prog-if lines).
    private static final String IDS = String.join("\n",
            "# comment",
            "1b36  Red Hat, Inc.",
            "\t0010  QEMU NVM Express Controller",
            "\t\t1af4 1100  QEMU Virtual Machine",
            "8086  Intel Corporation",
            "\t10d3  82574L Gigabit Network Connection",
            "C 01  Mass storage controller",
            "\t08  Non-Volatile memory controller",
            "\t\t02  NVM Express",
            "C 02  Network controller",
            "");

    @Test
    void namesOnlyWhatWasAskedFor() {
        PciIds ids = PciIds.scan(IDS.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                PciIds.Needs.some().add(0x1b36, 0x0010, 0x01, 0x08));
        assertEquals("QEMU NVM Express Controller", ids.device(0x1b36, 0x0010));
        assertEquals("Non-Volatile memory controller", ids.className(0x01, 0x08));
        assertEquals("Mass storage controller", ids.className(0x01, 0x42));
        assertNull(ids.vendor(0x8086));
        assertNull(ids.device(0x8086, 0x10d3));
        assertNull(ids.className(0x02, 0x00));
    }

    @Test
    void looksUpVendorsDevicesAndClasses() {
        PciIds ids = PciIds.scan(IDS.getBytes(java.nio.charset.StandardCharsets.UTF_8), PciIds.Needs.all());
        assertEquals("Red Hat, Inc.", ids.vendor(0x1b36));
        assertEquals("QEMU NVM Express Controller", ids.device(0x1b36, 0x0010));
        assertEquals("82574L Gigabit Network Connection", ids.device(0x8086, 0x10d3));
        assertEquals("Non-Volatile memory controller", ids.className(0x01, 0x08));
        // Unknown subclass falls back to the base class name.
        assertEquals("Network controller", ids.className(0x02, 0x80));
        assertNull(ids.device(0x1b36, 0x1111));
        assertNull(ids.vendor(0xabcd));
    }
}
