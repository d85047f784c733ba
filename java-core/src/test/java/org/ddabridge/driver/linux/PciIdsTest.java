package org.ddabridge.driver.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        PciIds ids = PciIds.scan(IDS.getBytes(StandardCharsets.UTF_8),
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
        PciIds ids = PciIds.scan(IDS.getBytes(StandardCharsets.UTF_8), PciIds.Needs.all());
        assertEquals("Red Hat, Inc.", ids.vendor(0x1b36));
        assertEquals("QEMU NVM Express Controller", ids.device(0x1b36, 0x0010));
        assertEquals("82574L Gigabit Network Connection", ids.device(0x8086, 0x10d3));
        assertEquals("Non-Volatile memory controller", ids.className(0x01, 0x08));
        // Unknown subclass falls back to the base class name.
        assertEquals("Network controller", ids.className(0x02, 0x80));
        assertNull(ids.device(0x1b36, 0x1111));
        assertNull(ids.vendor(0xabcd));
    }

    /**
     * The database is kept after the second look (serve asks on every request), but a changed file is read
     * afresh: rewritten in place, its modification time changes; replaced by rename (as dpkg does) with size
     * and mtime kept, only the inode changes.
     */
    @Test
    void keptDatabaseIsReadAfreshWhenTheFileChanges(@TempDir Path root) throws Exception {
        Path file = root.resolve(PciIds.LOCATIONS.get(0));
        Files.createDirectories(file.getParent());
        Files.writeString(file, IDS);
        FileTime mtime = FileTime.fromMillis(1_600_000_000_000L);
        Files.setLastModifiedTime(file, mtime);
        for (int i = 0; i < 3; i++) {
            assertEquals("QEMU NVM Express Controller", find(root).device(0x1b36, 0x0010), "look " + i);
        }
        // Kept whole after the second look: names never asked for are there too.
        assertEquals("Intel Corporation", find(root).vendor(0x8086));

        // Same length, other name: an edit in place (mtime changes).
        Files.writeString(file, IDS.replace("QEMU NVM Express Controller", "QEMU NVM Express Cntrlr One"));
        assertEquals("QEMU NVM Express Cntrlr One", find(root).device(0x1b36, 0x0010));
        assertEquals("QEMU NVM Express Cntrlr One", find(root).device(0x1b36, 0x0010));

        // Replaced by rename with the same size and the old mtime: only the file key (inode) tells.
        Files.setLastModifiedTime(file, mtime);
        for (int i = 0; i < 3; i++) {
            assertEquals("QEMU NVM Express Cntrlr One", find(root).device(0x1b36, 0x0010), "look " + i);
        }
        Path next = root.resolve("pci.ids.new");
        Files.writeString(next, IDS.replace("QEMU NVM Express Controller", "QEMU NVM Express Cntrlr Two"));
        Files.setLastModifiedTime(next, mtime);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("QEMU NVM Express Cntrlr Two", find(root).device(0x1b36, 0x0010));
    }

    private static PciIds find(Path root) {
        return PciIds.find(List.of(root), PciIds.Needs.some().add(0x1b36, 0x0010, 0x01, 0x08));
    }
}
