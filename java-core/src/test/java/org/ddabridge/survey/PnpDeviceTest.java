package org.ddabridge.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.ddabridge.api.Progress;
import org.ddabridge.engine.Engine;
import org.ddabridge.image.HostImages;
import org.ddabridge.model.PciDevice;
import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.util.HostRoot;
/** Windows vocabulary on the host image captured in the QEMU reference guest. */
class PnpDeviceTest {
    private static final Path IMAGE = Path.of(System.getProperty("ddabridge.repo", ".."),
            "tests/fixtures/hosts/qemu-reference.tar.gz");

    static Map<String, PnpDevice> pnp() {
        HostRoot root = org.ddabridge.image.HostImages.open(IMAGE.toString());
        List<PciDevice> devices = new LinuxPlatform(root).snapshot().devices();
        return devices.stream().map(PnpDevice::of).collect(Collectors.toMap(PnpDevice::address, Function.identity()));
    }

    @Test
    void nvmeControllerLooksLikeWindowsStornvmeInTheScsiAdapterClass() {
        PnpDevice nvme = pnp().get("0000:01:00.0");
        // What the seed script filters on: Class SCSIAdapter, Service stornvme.
        assertEquals("SCSIAdapter", nvme.pnpClass());
        assertEquals("stornvme", nvme.service());
        assertEquals("OK", nvme.status());
        assertEquals(List.of("PCIROOT(0)#PCI(0200)#PCI(0000)"), nvme.properties().get("DEVPKEY_Device_LocationPaths"));
        assertEquals("PCI\\VEN_1B36&DEV_0010&SUBSYS_11001AF4&REV_02", nvme.hardwareId().get(0));
    }

    @Test
    void otherClassesMapToTheirWindowsSetupClasses() {
        Map<String, PnpDevice> all = pnp();
        assertEquals("Net", all.get("0000:03:00.0").pnpClass());
        assertEquals("e1iexpress", all.get("0000:03:00.0").service());
        assertEquals("System", all.get("0000:00:02.0").pnpClass()); // root port
        assertEquals("pci", all.get("0000:00:02.0").service());
        assertEquals("HDC", all.get("0000:00:1f.2").pnpClass()); // AHCI
    }

    @Test
    void aFunctionWithoutDriverIsInErrorStateWithoutService() {
        PnpDevice bridge = pnp().get("0000:05:00.0"); // pcie-pci-bridge: shpchp fails to bind in the guest
        assertNull(bridge.service());
        assertEquals("Error", bridge.status());
        assertEquals("CM_PROB_FAILED_INSTALL", bridge.problem());
    }

    @Test
    void pnpCommandAddsThePciPropertiesMicrosoftsSurveyReads() {
        com.google.gson.JsonObject args = new com.google.gson.JsonObject();
        args.addProperty("root", IMAGE.toString());
        @SuppressWarnings("unchecked")
        List<PnpDevice> all = (List<PnpDevice>) new org.ddabridge.engine.Engine().execute("pnp", args,
                org.ddabridge.api.Progress.NONE);
        Map<String, PnpDevice> by = all.stream().collect(Collectors.toMap(PnpDevice::address, Function.identity()));
        // NVMe: a PCIe endpoint with MSI-X behind a root port with ACS (pciprop.h values).
        Map<String, Object> nvme = by.get("0000:01:00.0").properties();
        assertEquals(2, nvme.get("DEVPKEY_PciDevice_DeviceType"));
        assertEquals(0x6, nvme.get("DEVPKEY_PciDevice_InterruptSupport"));
        assertEquals(3, nvme.get("DEVPKEY_PciDevice_AcsCompatibleUpHierarchy"));
        assertEquals(0, nvme.get("DEVPKEY_PciDevice_RequiresReservedMemoryRegion"));
        // ne2k_pci: conventional PCI behind a PCIe-to-PCI bridge, INTx only, no ACS on that path.
        Map<String, Object> ne2k = by.get("0000:06:01.0").properties();
        assertEquals(0, ne2k.get("DEVPKEY_PciDevice_DeviceType"));
        assertEquals(0x1, ne2k.get("DEVPKEY_PciDevice_InterruptSupport"));
        assertEquals(0, ne2k.get("DEVPKEY_PciDevice_AcsCompatibleUpHierarchy"));
    }
}
