package org.ddabridge.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.ddabridge.model.PciAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan / journal / rollback of a group attach, through the QMP backend on the fake QEMU, and VM references. */
class VmOpsTest {
    @TempDir
    Path dir;

    /** Records the journal calls as "pending attach 0000:03:00.1" lines. */
    static final class Recorder implements VmOps.StepLog {
        final List<String> lines = new ArrayList<>();

        @Override
        public void pending(VmStep s) {
            lines.add("pending " + s.host());
        }

        @Override
        public void done(VmStep s) {
            lines.add("done " + s.host());
        }

        @Override
        public void failed(VmStep s, String error) {
            lines.add("failed " + s.host());
        }

        @Override
        public void undone(VmStep s) {
            lines.add("undone " + s.host());
        }

        @Override
        public void undoFailed(VmStep s, String error) {
            lines.add("undoFailed " + s.host());
        }
    }

    private static List<PciAddress> group(String... a) {
        return java.util.Arrays.stream(a).map(s -> PciAddress.parse(s).orElseThrow()).toList();
    }

    @Test
    void aGroupAttachIsJournaledStepByStepAndWhatIfChangesNothing() throws Exception {
        QmpHotplugTest.FakeQemu q = new QmpHotplugTest.FakeQemu();
        q.ports.put("rp1", true);
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING, q::handle);
             QmpBackend b = QmpBackend.open(new VmRef.Qmp(s.socket))) {
            VmOps.Attached w = VmOps.attach(b, group("0000:03:00.0", "0000:03:00.1"), 0, true, VmOps.NONE);
            assertTrue(w.whatIf());
            assertEquals(2, w.steps().size());
            assertTrue(q.added.isEmpty(), "what-if sent no device_add");

            Recorder r = new Recorder();
            VmOps.attach(b, group("0000:03:00.0", "0000:03:00.1"), 0, false, r);
            assertEquals(List.of("pending 0000:03:00.1", "done 0000:03:00.1", "pending 0000:03:00.0", "done 0000:03:00.0"), r.lines);
            assertEquals(group("0000:03:00.0", "0000:03:00.1"), b.attached());

            VmBackend.Detached d = VmOps.detach(b, group("0000:03:00.0", "0000:03:00.1"), Duration.ofSeconds(5), false);
            assertEquals(group("0000:03:00.0", "0000:03:00.1"), d.removed());
            assertTrue(d.pending().isEmpty());
            assertTrue(b.attached().isEmpty());
        }
    }

    @Test
    void aFailedStepRollsBackTheStepsThatRanNewestFirst() throws Exception {
        QmpHotplugTest.FakeQemu q = new QmpHotplugTest.FakeQemu();
        q.ports.put("rp1", true);
        try (FakeQmpServer s = new FakeQmpServer(dir, FakeQmpServer.GREETING, q::handle);
             QmpBackend b = QmpBackend.open(new VmRef.Qmp(s.socket))) {
            Recorder r = new Recorder();
            // the fake refuses 09:00.0 (function 0, added last)
            VmException e = assertThrows(VmException.class,
                    () -> VmOps.attach(b, group("0000:09:00.0", "0000:09:00.1"), 0, false, r));
            assertEquals(VmErrorId.QmpCommandFailed, e.id());
            assertEquals(List.of("pending 0000:09:00.1", "done 0000:09:00.1", "pending 0000:09:00.0", "failed 0000:09:00.0",
                    "undone 0000:09:00.1"), r.lines);
            assertTrue(q.devices.isEmpty(), "rolled back: " + q.devices.keySet());
        }
    }

    @Test
    void vmReferences() {
        assertEquals(new VmRef.Qmp(Path.of("/run/vm.sock")), VmRef.parse("qmp:/run/vm.sock", null));
        assertEquals(new VmRef.Domain("qemu:///system", "web"), VmRef.parse("web", null));
        assertEquals(new VmRef.Domain("test:///default", "web"), VmRef.parse("libvirt:web", "test:///default"));
        assertEquals("qmp:/run/vm.sock", VmRef.parse("qmp:/run/vm.sock", null).display());
        for (String bad : new String[]{"", "qmp:", "qmp:relative.sock", "a/b", "libvirt:"}) {
            assertEquals(VmErrorId.InvalidVmReference, assertThrows(VmException.class, () -> VmRef.parse(bad, null)).id(), bad);
        }
    }

    @Test
    void libvirtBackendPlansLiveAndConfigAndRollsBackOnTheTestDriver() {
        assertTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0")), "libvirt0 not installed (./build.sh installs it)");
        try (LibvirtBackend b = LibvirtBackend.open(new VmRef.Domain("test:///default", "test"))) {
            assertEquals("running", b.state());
            List<VmStep> plan = b.planAttach(group("0000:01:00.0"), 64L * 1024 * 1024);
            assertEquals(1, plan.size(), "the test domain has no pci root controller: no <pcihole64> step: " + plan);
            assertEquals("CONFIG,LIVE", plan.get(0).detail());
            Recorder r = new Recorder();
            VmException e = assertThrows(VmException.class, () -> VmOps.attach(b, group("0000:01:00.0"), 0, false, r));
            assertEquals(VmErrorId.LibvirtFailed, e.id());
            assertEquals(List.of("pending 0000:01:00.0", "failed 0000:01:00.0"), r.lines);
        }
        VmException nf = assertThrows(VmException.class, () -> LibvirtBackend.open(new VmRef.Domain("test:///default", "nope")));
        assertEquals(VmErrorId.DomainNotFound, nf.id());
    }

    @Test
    void pcihole64SizesRoundUpToWholeGib() {
        assertEquals(1024L * 1024, LibvirtBackend.roundUpGib(1));
        assertEquals(64L * 1024 * 1024, LibvirtBackend.roundUpGib(64L * 1024 * 1024));
        assertEquals(65L * 1024 * 1024, LibvirtBackend.roundUpGib(64L * 1024 * 1024 + 1));
    }
}
