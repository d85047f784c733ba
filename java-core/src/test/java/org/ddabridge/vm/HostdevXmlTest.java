package org.ddabridge.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;

import org.ddabridge.model.PciAddress;
import org.junit.jupiter.api.Test;

class HostdevXmlTest {
    /** Shaped like libvirt 9.0's live XML of a q35 domain after an attach (trimmed). */
    static final String LIVE = """
            <domain type='qemu' id='1'>
              <name>StorageServer</name>
              <uuid>0c3b7a5e-8c1e-4f43-a3c4-3d3f1b2a9e01</uuid>
              <memory unit='KiB'>262144</memory>
              <os>
                <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
              </os>
              <devices>
                <controller type='pci' index='0' model='pcie-root'>
                  <alias name='pcie.0'/>
                </controller>
                <controller type='pci' index='1' model='pcie-root-port'>
                  <model name='pcie-root-port'/>
                  <target chassis='1' port='0x10'/>
                  <alias name='pci.1'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
                </controller>
                <hostdev mode='subsystem' type='pci' managed='no'>
                  <driver name='vfio'/>
                  <source>
                    <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
                  </source>
                  <alias name='hostdev0'/>
                  <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
                </hostdev>
                <hostdev mode='subsystem' type='usb' managed='yes'>
                  <source><vendor id='0x1234'/><product id='0xbeef'/></source>
                </hostdev>
              </devices>
            </domain>
            """;

    @Test
    void theHostdevElementRoundTripsAndIsUnmanaged() {
        PciAddress b = PciAddress.parse("0000:03:00.1").orElseThrow();
        String xml = HostdevXml.hostdev(b);
        assertTrue(xml.contains("managed='no'"), xml);
        assertTrue(xml.contains("bus='0x03'") && xml.contains("function='0x1'"), xml);
        HostdevXml.Hostdev h = HostdevXml.parseHostdev(xml);
        assertEquals(b, h.source());
        assertFalse(h.managed());
        assertEquals("subsystem", h.mode());
        assertNull(h.guestAddress());
    }

    @Test
    void aDomainDocumentYieldsItsPciHostdevsAndRootController() {
        HostdevXml.DomainInfo d = HostdevXml.parseDomain(LIVE);
        assertEquals("StorageServer", d.name());
        assertEquals("pc-q35-7.2", d.machine());
        assertEquals(1, d.hostdevs().size(), "the USB hostdev is not a PCI one");
        HostdevXml.Hostdev h = d.hostdevs().get(0);
        assertEquals(PciAddress.parse("0000:01:00.0").orElseThrow(), h.source());
        assertEquals("hostdev0", h.alias());
        assertEquals(PciAddress.parse("0000:01:00.0").orElseThrow(), h.guestAddress());
        assertTrue(d.hostdev(PciAddress.parse("0000:01:00.0").orElseThrow()).isPresent());
        assertTrue(d.hostdev(PciAddress.parse("0000:02:00.0").orElseThrow()).isEmpty());
        assertEquals("pcie-root", d.pciRootModel());
        assertTrue(d.canTakePcihole64());
        assertEquals(OptionalLong.empty(), d.pcihole64Kib());
    }

    @Test
    void pcihole64IsAddedThenReplacedAndUnitsAreNormalised() {
        String once = HostdevXml.withPcihole64(LIVE, 33554432L);
        assertEquals(OptionalLong.of(33554432L), HostdevXml.parseDomain(once).pcihole64Kib());
        String twice = HostdevXml.withPcihole64(once, 1048576L);
        assertEquals(OptionalLong.of(1048576L), HostdevXml.parseDomain(twice).pcihole64Kib());
        assertEquals(1, twice.split("<pcihole64", -1).length - 1, "replaced, not added twice");
        String gib = LIVE.replace("<alias name='pcie.0'/>", "<pcihole64 unit='GiB'>2</pcihole64>");
        assertEquals(OptionalLong.of(2L * 1024 * 1024), HostdevXml.parseDomain(gib).pcihole64Kib());
        // the rest of the document survives
        assertEquals(1, HostdevXml.parseDomain(twice).hostdevs().size());
        // a negative size removes the element again (the undo of a step that added it)
        assertEquals(OptionalLong.empty(), HostdevXml.parseDomain(HostdevXml.withPcihole64(twice, -1)).pcihole64Kib());
    }

    @Test
    void aDomainWithoutARootPciControllerCannotTakePcihole64() {
        String xml = "<domain type='test'><name>test</name><devices><disk type='file'/></devices></domain>";
        HostdevXml.DomainInfo d = HostdevXml.parseDomain(xml);
        assertFalse(d.canTakePcihole64());
        assertEquals(VmErrorId.XmlInvalid, assertThrows(VmException.class, () -> HostdevXml.withPcihole64(xml, 1)).id());
    }

    @Test
    void doctypesAndExternalEntitiesAreRefused() {
        String xxe = "<?xml version='1.0'?><!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<domain><name>&x;</name></domain>";
        assertEquals(VmErrorId.XmlInvalid, assertThrows(VmException.class, () -> HostdevXml.parseDomain(xxe)).id());
        assertEquals(VmErrorId.XmlInvalid, assertThrows(VmException.class, () -> HostdevXml.parseDomain("<domain>")).id());
        assertEquals(VmErrorId.XmlInvalid, assertThrows(VmException.class, () -> HostdevXml.parseDomain("<network/>")).id());
    }

    @Test
    void pciAddressesParseAndPrintInTheSysfsForm() {
        assertEquals("0000:0a:1f.7", PciAddress.parse("0a:1f.7").orElseThrow().toString());
        assertEquals("0001:00:02.0", PciAddress.parse("0001:00:02.0").orElseThrow().toString());
        for (String bad : new String[]{"", "0000:01:00", "0000:01:20.0", "0000:01:00.8", "zz:00.0", "0000:001:00.0"}) {
            assertTrue(PciAddress.parse(bad).isEmpty(), bad);
        }
    }
}
