package org.ddabridge.driver.windows;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.ddabridge.model.PciDevice;
import org.ddabridge.model.windows.HostProperties;
import org.ddabridge.platform.Platforms;
import org.ddabridge.platform.windows.WindowsPlatform;
/** The live CfgMgr32/WMI path; runs on Windows only and asserts invariants, never specific hardware. */
@EnabledOnOs(OS.WINDOWS)
class WindowsLiveTest {
    @Test
    void liveEnumerationIsWellFormed() {
        CfgMgrDeviceSource src = new CfgMgrDeviceSource();
        for (DeviceProperties d : src.devices()) {
            assertTrue(d.instanceId().toUpperCase().startsWith("PCI\\"), d.instanceId());
        }
        WindowsPlatform w = (WindowsPlatform) Platforms.forThisMachine();
        for (PciDevice d : w.snapshot().devices()) {
            assertNotNull(d.address());
            assertNotEquals(d.address(), d.parent(), "no self-parent");
            assertFalse(d.upstreamBridges().contains(d.address()));
            if (d.locationPath() != null && d.locationPath().startsWith("PCIROOT(")) {
                assertTrue(d.locationPath().matches("PCIROOT\\([0-9A-Fa-f]+\\)(#PCI\\([0-9A-Fa-f]{4}\\))+"),
                        d.locationPath());
            }
        }
    }

    @Test
    void hostPropertiesFailSoft() {
        HostProperties h = HyperVWmi.hostProperties();
        assertNotNull(h.iovSupportReasons());
    }
}
