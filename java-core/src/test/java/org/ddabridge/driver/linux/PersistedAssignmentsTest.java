package org.ddabridge.driver.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.model.BootOverride;
import org.ddabridge.util.HostRoot;

/** Parsing of DdaBridge's persisted list and of driverctl's saved overrides, on the fixtures in tests/fixtures/boot. */
class PersistedAssignmentsTest {
    static Path fixture(String name) {
        Path p = Path.of(System.getProperty("ddabridge.repo", "..")).resolve("tests/fixtures/boot/" + name);
        assertTrue(Files.exists(p), "fixture missing: " + p);
        return p;
    }

    @Test
    void ddabridgeListKeepsAddressesWithTheirIdsAndSkipsWhatTheBootScriptsSkip() throws IOException {
        List<BootOverride> l = PersistedAssignments.parse(Files.readString(fixture("vfio-pci.conf")));
        assertEquals(List.of("0000:01:00.0", "0000:03:00.1", "0000:0a:00.0", "0000:04:00.0"),
                l.stream().map(BootOverride::address).toList());
        assertEquals("1b36", l.get(0).vendorId());
        assertEquals("0010", l.get(0).deviceId());
        assertEquals("1af4:1100", l.get(0).subsystem());
        assertNull(l.get(1).subsystem());
        assertEquals("10de", l.get(2).vendorId(), "hex is case-insensitive");
        assertEquals("10de:119e", l.get(2).subsystem(), "a trailing comment is not part of the line");
        assertNull(l.get(3).vendorId(), "an address without ids is still persisted");
        assertTrue(l.stream().allMatch(o -> o.source() == BootOverride.Source.DDABRIDGE
                && "vfio-pci".equals(o.driver())));
    }

    @Test
    void driverctlFilesArePciOverridesWithTheDriverName() throws IOException {
        Path dir = fixture("driverctl.d");
        List<BootOverride> got;
        try (var files = Files.list(dir)) {
            got = files.sorted(Comparator.comparing(Path::toString)).map(f -> {
                try {
                    return DriverctlOverrides.parse(f.getFileName().toString(), Files.readString(f));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).filter(o -> o != null).toList();
        }
        assertEquals(2, got.size(), "the empty file and the usb override are not PCI overrides: " + got);
        assertEquals("0000:01:00.0", got.get(0).address());
        assertEquals("vfio-pci", got.get(0).driver());
        assertEquals("nvme", got.get(1).driver());
        assertEquals("etc/driverctl.d/pci-0000:02:00.0", got.get(1).file());
        assertEquals(BootOverride.Source.DRIVERCTL, got.get(1).source());
    }

    @Test
    void readersLookUnderTheHostRoot(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("etc/ddabridge"));
        Files.copy(fixture("vfio-pci.conf"), tmp.resolve(PersistedAssignments.FILE));
        Files.createDirectories(tmp.resolve(DriverctlOverrides.DIR));
        try (var files = Files.list(fixture("driverctl.d"))) {
            for (Path f : files.toList()) {
                Files.copy(f, tmp.resolve(DriverctlOverrides.DIR).resolve(f.getFileName().toString()));
            }
        }
        HostRoot root = HostRoot.of(tmp);
        assertEquals(4, PersistedAssignments.read(root).size());
        assertEquals(2, DriverctlOverrides.read(root).size());
        assertEquals(List.of(), PersistedAssignments.read(HostRoot.of(tmp.resolve("etc"))), "no list: nothing");
    }
}
