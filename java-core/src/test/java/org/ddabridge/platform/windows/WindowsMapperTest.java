package org.ddabridge.platform.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.ddabridge.model.windows.WindowsHost;
import org.ddabridge.driver.windows.DeviceProperties;
import org.ddabridge.driver.windows.JsonDeviceSource;
import org.ddabridge.model.PciDevice;
import org.ddabridge.model.windows.WindowsPciFacts;
/** Property bags -> model, pure Java. */
class WindowsMapperTest {
    static Path fixture(String name) {
        return Path.of(System.getProperty("ddabridge.repo", "..")).resolve("tests/fixtures/windows/" + name);
    }

    @Test
    void hardwareIdParses() {
        WindowsMapper.HardwareId id = WindowsMapper.parseHardwareId(
                "PCI\\VEN_144D&DEV_A820&SUBSYS_1F951028&REV_03\\4&368722DD&0&0010").orElseThrow();
        assertEquals("144d", id.vendorId());
        assertEquals("a820", id.deviceId());
        // SUBSYS_ssssvvvv: subsystem id first, subsystem vendor second.
        assertEquals("1f95", id.subsystemId());
        assertEquals("1028", id.subsystemVendorId());
        assertEquals("03", id.revision());
        WindowsMapper.HardwareId bare = WindowsMapper.parseHardwareId("PCI\\VEN_8086&DEV_1234").orElseThrow();
        assertEquals("0000", bare.subsystemId());
        assertEquals("00", bare.revision());
        assertTrue(WindowsMapper.parseHardwareId("USB\\VID_8087&PID_0029").isEmpty());
    }

    @Test
    void addressFromBusNumberAndAddressElseLocationInfo() {
        DeviceProperties a = new DeviceProperties("PCI\\X", Map.of("DEVPKEY_Device_BusNumber", 3L,
                "DEVPKEY_Device_Address", 0x1L << 16 | 2), null, null, null, null);
        assertEquals("0000:03:01.2", WindowsMapper.address(a).orElseThrow().toString());
        DeviceProperties b = new DeviceProperties("PCI\\Y", Map.of("DEVPKEY_Device_LocationInfo",
                "PCI bus 24, device 0, function 0"), null, null, null, null);
        assertEquals("0000:18:00.0", WindowsMapper.address(b).orElseThrow().toString());
        assertTrue(WindowsMapper.address(new DeviceProperties("PCI\\Z", Map.of(), null, null, null, null)).isEmpty());
    }

    @Test
    void workstationMapsIdsParentsAndBars() {
        JsonDeviceSource src = JsonDeviceSource.open(fixture("workstation-pch-gpu.windows.json"));
        WindowsHost r = WindowsMapper.map(src.devices(), src.host());
        assertEquals(4, r.snapshot().devices().size());
        assertEquals("windows", r.snapshot().host().platform());
        PciDevice gpu = r.snapshot().devices().stream().filter(d -> d.address().equals("0000:03:00.0")).findFirst()
                .orElseThrow();
        assertEquals("PCIROOT(0)#PCI(1C04)#PCI(0000)", gpu.locationPath());
        assertEquals("10de", gpu.vendorId());
        assertEquals("2504", gpu.deviceId());
        assertEquals("1462", gpu.subsystemVendorId());
        assertEquals("397d", gpu.subsystemId());
        assertEquals("030000", gpu.classCode());
        assertEquals("nvlddmkm", gpu.driver());
        assertEquals("Display", gpu.className());
        assertEquals("0000:00:1c.4", gpu.parent());
        assertEquals(List.of("0000:00:1c.4"), gpu.upstreamBridges());
        assertEquals(3, gpu.bars().size());
        assertTrue(gpu.bars().get(1).is64Bit());
        WindowsPciFacts f = r.facts().get("0000:03:00.0");
        assertEquals(2, f.deviceType());
        assertEquals(0, f.acsCompatibleUpHierarchy());
        assertEquals(Boolean.FALSE, f.requiresReservedMemoryRegion());
        assertEquals(4, f.currentLinkWidth());
        assertEquals(16, f.maxLinkWidth());
        PciDevice igpu = r.snapshot().devices().get(0);
        assertEquals("0000:00:02.0", igpu.address());
        assertNull(igpu.parent(), "root-bus devices have no PCI parent");
    }

    @Test
    void fixtureRoundTripsThroughWriter() {
        JsonDeviceSource src = JsonDeviceSource.open(fixture("server-nvme.windows.json"));
        JsonDeviceSource again = JsonDeviceSource.parse(JsonDeviceSource.write(src), "again");
        assertEquals(src.devices(), again.devices());
        assertEquals(src.host().iovSupport(), again.host().iovSupport());
    }
}
