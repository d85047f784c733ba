package org.ddabridge.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.ddabridge.model.PciDevice;
import org.ddabridge.util.HostRoot;
/** Reads this machine's real /sys (read-only) and checks invariants against the files themselves. */
@EnabledOnOs(OS.LINUX)
class LiveMachineTest {
    private static final Path DEVICES = Path.of("/sys/bus/pci/devices");

    @Test
    void everyFunctionInSysfsIsReportedWithTheIdsOfItsFiles() throws IOException {
        Set<String> listed;
        try (Stream<Path> s = Files.list(DEVICES)) {
            listed = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        List<PciDevice> devices = new LinuxPlatform(HostRoot.live()).snapshot().devices();
        assertEquals(listed, devices.stream().map(PciDevice::address).collect(Collectors.toCollection(TreeSet::new)));
        for (PciDevice d : devices) {
            Path dir = DEVICES.resolve(d.address());
            assertEquals(file(dir, "vendor"), d.vendorId(), d.address());
            assertEquals(file(dir, "device"), d.deviceId(), d.address());
            assertEquals(file(dir, "subsystem_vendor"), d.subsystemVendorId(), d.address());
            assertEquals(file(dir, "subsystem_device"), d.subsystemId(), d.address());
            assertEquals(file(dir, "class").substring(0, 6), d.classCode(), d.address());
            assertEquals(file(dir, "revision"), d.revision(), d.address());
            String driver = Files.isSymbolicLink(dir.resolve("driver"))
                    ? Files.readSymbolicLink(dir.resolve("driver")).getFileName().toString() : null;
            assertEquals(driver, d.driver(), d.address());
            assertTrue(d.locationPath().startsWith("PCIROOT("), d.locationPath());
            assertFalse(d.address().equals(d.parent()), "a function is not its own parent");
        }
    }

    private static String file(Path dir, String name) throws IOException {
        String s = Files.readString(dir.resolve(name)).trim().toLowerCase(Locale.ROOT);
        return s.startsWith("0x") ? s.substring(2) : s;
    }
}
