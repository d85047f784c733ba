package org.ddabridge.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import org.ddabridge.driver.linux.Libvirt;
import org.ddabridge.model.PciAddress;
import org.junit.jupiter.api.Test;

/**
 * Real libvirt calls on libvirt's built-in test driver ({@code test:///default}: one running domain "test", no daemon).
 * libvirt0 is installed by build.sh: without it these tests fail (a missing input is not a skip). The test driver has no device attach, which gives a real error path.
 */
class LibvirtApiTest {
    private static final String TEST_URI = "test:///default";

    private static LibvirtApi api() {
        assertTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0")) || Files.exists(Path.of("/usr/lib64/libvirt.so.0")),
                "libvirt0 not installed (./build.sh installs it)");
        return LibvirtApi.load();
    }

    @Test
    void theTestDriverListsItsRunningDomain() {
        LibvirtApi api = api();
        assertTrue(api.libraryVersion().matches("\\d+\\.\\d+\\.\\d+"), api.libraryVersion());
        try (LibvirtApi.Connection c = api.open(TEST_URI)) {
            List<Libvirt.Domain> ds = c.listDomains();
            assertEquals(List.of(new Libvirt.Domain("test", Libvirt.DomainState.RUNNING, true)), ds);
            assertEquals(EnumSet.of(Libvirt.Affect.LIVE, Libvirt.Affect.CONFIG), c.affectFor(ds.get(0)));
            HostdevXml.DomainInfo live = HostdevXml.parseDomain(c.xml("test", false));
            assertEquals("test", live.name());
            assertTrue(live.hostdevs().isEmpty());
            assertEquals("test", HostdevXml.parseDomain(c.xml("test", true)).name());
        }
    }

    @Test
    void anUnknownDomainIsDomainNotFound() {
        try (LibvirtApi.Connection c = api().open(TEST_URI)) {
            VmException e = assertThrows(VmException.class, () -> c.domain("no-such-vm"));
            assertEquals(VmErrorId.DomainNotFound, e.id());
            assertEquals("42", e.detail());
        }
    }

    @Test
    void attachOnTheTestDriverFailsWithLibvirtsOwnError() {
        try (LibvirtApi.Connection c = api().open(TEST_URI)) {
            String xml = HostdevXml.hostdev(PciAddress.parse("0000:01:00.0").orElseThrow());
            VmException e = assertThrows(VmException.class,
                    () -> c.attach("test", xml, EnumSet.of(Libvirt.Affect.LIVE, Libvirt.Affect.CONFIG)));
            assertEquals(VmErrorId.LibvirtFailed, e.id());
            assertEquals(Integer.toString(LibvirtApi.VIR_ERR_NO_SUPPORT), e.detail());
            assertTrue(e.getMessage().contains("virDomainAttachDeviceFlags"), e.getMessage());
        }
    }

    @Test
    void aBadUriFailsWithoutAConnection() {
        VmException e = assertThrows(VmException.class, () -> api().open("nosuchdriver:///x"));
        assertEquals(VmErrorId.LibvirtFailed, e.id());
    }

    @Test
    void aMissingLibraryIsLibvirtUnavailable() {
        VmException e = assertThrows(VmException.class, () -> LibvirtApi.load("libvirt-does-not-exist.so.0"));
        assertEquals(VmErrorId.LibvirtUnavailable, e.id());
        assertTrue(e.getMessage().contains("libvirt0"), e.getMessage());
    }
}
