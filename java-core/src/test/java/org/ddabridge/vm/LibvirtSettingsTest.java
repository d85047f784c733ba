package org.ddabridge.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.ddabridge.model.PciAddress;
import org.junit.jupiter.api.Test;

/**
 * vm-set and vm-add's hole check against real libvirt: its built-in test driver ({@code test:///default}, no daemon),
 * whose state lives while one connection is open (each test holds one). libvirt0 is installed by build.sh; without
 * it these tests fail (LibvirtUnavailable), they do not skip.
 */
class LibvirtSettingsTest {
    private static final String URI = "test:///default";

    private static String domainXml(String name, String hole) {
        return "<domain type='test'><name>" + name + "</name><memory unit='MiB'>128</memory>"
                + "<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>"
                + "<controller type='pci' index='0' model='pcie-root'>" + hole + "</controller></devices></domain>";
    }

    private static VmService service() {
        return new VmService(Path.of("/nonexistent"), Path.of("/nonexistent"), VmBackend::open, VmService.CrashPoint.NONE);
    }

    private static Map<String, VmSettings.Outcome> bySetting(VmSettings.Result r) {
        return r.settings().stream().collect(Collectors.toMap(VmSettings.Outcome::setting, Function.identity()));
    }

    @Test
    void microsoftsFourSettingsOnARunningDomain() {
        try (LibvirtApi.Connection keep = LibvirtApi.load().open(URI)) {
            keep.define(domainXml("dda-set-running", ""));
            keep.start("dda-set-running");
            VmRef vm = new VmRef.Domain(URI, "dda-set-running");
            VmSettings all = new VmSettings(3L << 30, 33280L << 20, VmSettings.StopAction.TurnOff, true);

            VmSettings.Result w = service().set(vm, all, true);
            assertEquals(OptionalLong.empty(), HostdevXml.parseDomain(keep.xml("dda-set-running", true)).pcihole64Kib(),
                    "what-if changed the definition");
            assertEquals(VmSettings.Status.pendingRestart, bySetting(w).get("HighMemoryMappedIoSpace").status());

            Map<String, VmSettings.Outcome> r = bySetting(service().set(vm, all, false));
            // 33280 MiB = 34078720 KiB, in the persistent definition only: QEMU fixes the hole at start
            assertEquals(OptionalLong.of(34078720L), HostdevXml.parseDomain(keep.xml("dda-set-running", true)).pcihole64Kib());
            assertEquals(OptionalLong.empty(), HostdevXml.parseDomain(keep.xml("dda-set-running", false)).pcihole64Kib());
            VmSettings.Outcome high = r.get("HighMemoryMappedIoSpace");
            assertEquals(VmSettings.Status.pendingRestart, high.status());
            assertEquals("33280MB", high.value());
            assertEquals("<pcihole64 unit='KiB'>34078720</pcihole64>", high.appliedAs());
            assertTrue(high.note().contains("32768 MiB"), high.note());   // the running q35 default, named
            // no per-domain equivalent in libvirt: said, not pretended
            assertEquals(VmSettings.Status.noEquivalent, r.get("AutomaticStopAction").status());
            assertTrue(r.get("AutomaticStopAction").note().contains("libvirt-guests"), r.get("AutomaticStopAction").note());
            assertEquals(VmSettings.Status.noEquivalent, r.get("LowMemoryMappedIoSpace").status());
            assertEquals("3072MB", r.get("LowMemoryMappedIoSpace").value());
            assertEquals(VmSettings.Status.notNeeded, r.get("GuestControlledCacheTypes").status());
            assertTrue(r.get("GuestControlledCacheTypes").note().contains("KVM needs no setting"));
        }
    }

    @Test
    void aDefinedDomainTakesTheHoleAtOnceAndASecondSetIsUnchanged() {
        try (LibvirtApi.Connection keep = LibvirtApi.load().open(URI)) {
            keep.define(domainXml("dda-set-off", "<pcihole64 unit='KiB'>1048576</pcihole64>"));
            VmRef vm = new VmRef.Domain(URI, "dda-set-off");
            VmSettings high = new VmSettings(null, 64L << 30, null, null);
            VmSettings.Result r = service().set(vm, high, false);
            assertEquals("shutoff", r.state());
            assertEquals(List.of(VmSettings.Status.applied), r.settings().stream().map(VmSettings.Outcome::status).toList());
            assertEquals(OptionalLong.of(64L << 20), HostdevXml.parseDomain(keep.xml("dda-set-off", true)).pcihole64Kib());
            assertEquals(VmSettings.Status.unchanged, service().set(vm, high, false).settings().get(0).status());
        }
    }

    @Test
    void aDomainWithoutARootPciControllerIsRefused() {
        try (LibvirtApi.Connection keep = LibvirtApi.load().open(URI)) {
            // the test driver's own domain "test" has no pci-root/pcie-root controller to carry <pcihole64>
            VmException e = assertThrows(VmException.class,
                    () -> service().set(new VmRef.Domain(URI, "test"), new VmSettings(null, 1L << 30, null, null), false));
            assertEquals(VmErrorId.SettingNotApplicable, e.id());
            // the settings without a libvirt equivalent are still answered for it
            VmSettings.Result r = service().set(new VmRef.Domain(URI, "test"),
                    new VmSettings(null, null, VmSettings.StopAction.Save, false), false);
            assertTrue(r.settings().get(0).note().contains("Save cannot be honoured"), r.settings().get(0).note());
        }
    }

    @Test
    void vmAddWarnsAndPlansALargerHoleWhenTheRunningDomainsIsTooSmall() {
        try (LibvirtApi.Connection keep = LibvirtApi.load().open(URI)) {
            keep.define(domainXml("dda-hole-small", "<pcihole64 unit='KiB'>1048576</pcihole64>"));
            keep.start("dda-hole-small");
            try (LibvirtBackend b = LibvirtBackend.open(new VmRef.Domain(URI, "dda-hole-small"))) {
                List<PciAddress> group = List.of(PciAddress.parse("0000:01:00.0").orElseThrow());
                long need = 4L << 20;   // 4 GiB in KiB
                List<String> warnings = b.attachWarnings(group, need);
                assertEquals(1, warnings.size(), warnings.toString());
                assertTrue(warnings.get(0).contains("1024 MiB") && warnings.get(0).contains("4096 MiB"), warnings.get(0));
                List<VmStep> plan = b.planAttach(group, need);
                assertEquals(VmStep.Action.SET_PCIHOLE64, plan.get(plan.size() - 1).action(), plan.toString());
                assertEquals(need, plan.get(plan.size() - 1).value());
                // a hole that holds the group: no warning, no hole step
                assertEquals(List.of(), b.attachWarnings(group, 1L << 20));
                assertEquals(1, b.planAttach(group, 1L << 20).size());
            }
        }
    }
}
