package org.ddabridge.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.testing.FakeHosts;
import org.ddabridge.testing.FakeSysfs;
class LinuxPlatformTest {
    @Test
    void enumeratesEveryFunctionWithIdentityDriverGroupAndTopology(@TempDir Path dir) {
        HostSnapshot snap = new LinuxPlatform(FakeHosts.smallQ35(dir).hostRoot()).snapshot();
        Map<String, PciDevice> by = snap.devices().stream().collect(Collectors.toMap(PciDevice::address, Function.identity()));
        assertEquals(6, by.size());
        PciDevice nvme = by.get("0000:01:00.0");
        assertEquals("1b36", nvme.vendorId());
        assertEquals("0010", nvme.deviceId());
        assertEquals("1af4", nvme.subsystemVendorId());
        assertEquals("1100", nvme.subsystemId());
        assertEquals("02", nvme.revision());
        assertEquals("010802", nvme.classCode());
        assertEquals("nvme", nvme.driver());
        assertEquals(10, nvme.iommuGroup());
        assertEquals(0, nvme.numaNode());
        assertEquals("0000:00:02.0", nvme.parent());
        assertEquals("PCIROOT(0)#PCI(0200)#PCI(0000)", nvme.locationPath());
        assertTrue(nvme.instanceId().startsWith("PCI\\VEN_1B36&DEV_0010&SUBSYS_11001AF4&REV_02\\"));
        assertEquals(List.of("flr", "bus"), nvme.resetMethods());
        assertEquals(1, nvme.bars().size());
        PciDevice fn1 = by.get("0000:02:00.1");
        assertNull(fn1.driver());
        assertEquals("PCIROOT(0)#PCI(0300)#PCI(0001)", fn1.locationPath());
        PciDevice hostBridge = by.get("0000:00:00.0");
        assertNull(hostBridge.parent());
        assertNull(hostBridge.numaNode());
        assertEquals("fakehost", snap.host().hostname());
        assertEquals(5, snap.host().iommuGroupCount()); // groups 0, 2, 3, 10, 12
    }

    @Test
    void virtualFunctionIdsComeFromAttributeFilesNotConfigSpace(@TempDir Path dir) {
        FakeSysfs fs = new FakeSysfs(dir);
        fs.function("0000:00:02.0").ids(0x1b36, 0x000c).classCode(0x060400).add();
        byte[] vfConfig = new byte[256];
        java.util.Arrays.fill(vfConfig, 0, 4, (byte) 0xff); // a VF reads ffff:ffff in config space
        fs.function("0000:01:00.1").parent("0000:00:02.0").ids(0x1b36, 0x0010).classCode(0x010802)
                .config(vfConfig).add();
        fs.link(fs.devicePath("0000:01:00.1") + "/physfn", "../0000:01:00.0");
        PciDevice vf = new LinuxPlatform(fs.hostRoot()).snapshot().devices().get(1);
        assertEquals("1b36", vf.vendorId());
        assertEquals("0010", vf.deviceId());
        assertEquals("010802", vf.classCode());
        assertEquals("0000:01:00.0", vf.physicalFunction());
    }

    @Test
    void functionsWithTheSameConfigSpaceShareOneArrayAndOthersKeepTheirOwn(@TempDir Path dir) {
        FakeSysfs fs = new FakeSysfs(dir);
        byte[] a = new byte[4096];
        a[0] = (byte) 0x86;
        a[1] = (byte) 0x80;
        a[0x0b] = 2;
        a[0xfff] = 7;
        byte[] b = a.clone();
        b[0xfff] = 8; // differs in the last byte only
        fs.device("0000:00:01.0", null, a);
        fs.device("0000:00:02.0", null, a.clone());
        fs.device("0000:00:03.0", null, b);
        fs.device("0000:00:04.0", null, java.util.Arrays.copyOf(a, 256)); // same start, shorter
        Map<String, byte[]> c = new LinuxPlatform(fs.hostRoot()).snapshot().configSpaces();
        assertTrue(java.util.Arrays.equals(a, c.get("0000:00:01.0")));
        assertTrue(c.get("0000:00:01.0") == c.get("0000:00:02.0"), "one array for one content");
        assertTrue(java.util.Arrays.equals(b, c.get("0000:00:03.0")));
        assertEquals(256, c.get("0000:00:04.0").length);
        assertEquals(0, c.get("0000:00:04.0")[0xff]);
        assertEquals((byte) 0x86, c.get("0000:00:04.0")[0]);
    }
}
