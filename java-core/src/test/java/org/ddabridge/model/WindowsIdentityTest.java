package org.ddabridge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class WindowsIdentityTest {
    private static PciAddress a(String s) {
        return PciAddress.parse(s).orElseThrow();
    }

    @Test
    void locationPathMatchesWindowsFormForADeviceBehindARootPort() {
        // Example from Microsoft's DDA documentation: root bus 0x40, root port 02.0, endpoint 00.0.
        assertEquals("PCIROOT(40)#PCI(0200)#PCI(0000)",
                WindowsIdentity.locationPath(0, 0x40, List.of(a("0000:40:02.0"), a("0000:41:00.0"))));
    }

    @Test
    void locationPathWritesDeviceAndFunctionInUpperCaseHex() {
        assertEquals("PCIROOT(0)#PCI(1C07)#PCI(1F03)",
                WindowsIdentity.locationPath(0, 0, List.of(a("0000:00:1c.7"), a("0000:05:1f.3"))));
    }

    @Test
    void nonZeroDomainsGetDistinctRoots() {
        String d0 = WindowsIdentity.locationPath(0, 0, List.of(a("0000:00:02.0")));
        String d1 = WindowsIdentity.locationPath(1, 0, List.of(a("0001:00:02.0")));
        assertEquals("PCIROOT(100)#PCI(0200)", d1);
        assertNotEquals(d0, d1);
    }

    @Test
    void instanceIdHasWindowsHardwareIdPartAndDocumentedSuffix() {
        String id = WindowsIdentity.instanceId("144d", "a820", "1028", "1f95", "03", "PCIROOT(0)#PCI(0200)#PCI(0000)");
        assertTrue(id.startsWith("PCI\\VEN_144D&DEV_A820&SUBSYS_1F951028&REV_03\\"), id);
        // depth 2, CRC-32 of the parent's location path, then the device's own hop.
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("PCIROOT(0)#PCI(0200)".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(String.format("2&%08X&0&0000", crc.getValue()), id.substring(id.lastIndexOf('\\') + 1));
    }

    @Test
    void instanceIdsDifferForTwoFunctionsOfOneDevice() {
        String f0 = WindowsIdentity.instanceId("8086", "10d3", "8086", "0000", "00", "PCIROOT(0)#PCI(0300)#PCI(0000)");
        String f1 = WindowsIdentity.instanceId("8086", "10d3", "8086", "0000", "00", "PCIROOT(0)#PCI(0300)#PCI(0001)");
        assertNotEquals(f0, f1);
    }
}
