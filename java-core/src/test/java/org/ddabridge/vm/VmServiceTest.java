package org.ddabridge.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.ddabridge.model.PciAddress;
import org.ddabridge.testing.FakeSysfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vm-add / vm-remove / repair on a fake sysfs tree and the fake QEMU: whole groups, journal, crash, rollback. */
class VmServiceTest {
    @TempDir
    Path tmp;

    /** Stands in for Runtime.halt: not a RuntimeException, so nothing in the engine catches it. */
    static final class Halt extends Error {
        Halt() {
            super("halted");
        }
    }

    private FakeSysfs host(String pairDriver) {
        FakeSysfs fs = new FakeSysfs(tmp.resolve("host"));
        fs.function("0000:00:04.0").ids(0x1b36, 0x000c).classCode(0x060400).driver("pcieport").group(4).add();
        fs.function("0000:03:00.0").parent("0000:00:04.0").ids(0x8086, 0x10d3).classCode(0x020000).driver(pairDriver)
                .group(12).resource("0x00000000fe800000 0x00000000fe81ffff 0x0000000000040200",
                        "0x0000008000000000 0x00000080003fffff 0x000000000014220c").add();
        fs.function("0000:03:00.1").parent("0000:00:04.0").ids(0x8086, 0x10d3).classCode(0x020000).driver("vfio-pci")
                .group(12).add();
        return fs;
    }

    private VmService service(FakeSysfs fs, FakeQmpServer s, VmService.CrashPoint crash) {
        return new VmService(fs.root(), tmp.resolve("proc"), ref -> QmpBackend.open(new VmRef.Qmp(s.socket)), crash);
    }

    @Test
    void theWholeGroupGoesInAndComesOutAndIsJournaled() throws Exception {
        FakeSysfs fs = host("vfio-pci");
        QmpHotplugTest.FakeQemu q = new QmpHotplugTest.FakeQemu();
        q.ports.put("rp1", true);
        Path sd = tmp.resolve("state");
        try (FakeQmpServer s = new FakeQmpServer(tmp, FakeQmpServer.GREETING, q::handle)) {
            VmService svc = service(fs, s, VmService.CrashPoint.NONE);
            VmRef vm = new VmRef.Qmp(s.socket);
            VmService.Added w = svc.add(PciAddress.parse("0000:03:00.1").orElseThrow(), vm, true, sd);
            assertTrue(w.whatIf());
            assertTrue(q.devices.isEmpty());
            assertEquals(4 * 1024, w.mmio64Kib(), "the 4 MiB 64-bit BAR of 03:00.0");

            VmService.Added a = svc.add(PciAddress.parse("0000:03:00.1").orElseThrow(), vm, false, sd);
            assertEquals(12, a.group());
            assertEquals(List.of("0000:03:00.0", "0000:03:00.1"), a.functions(), "the bridge of the group stays out");
            assertEquals(2, q.devices.size());
            VmJournal.Operation op = new VmJournal(sd).load();
            assertEquals("done", op.status);
            assertEquals(List.of("done", "done"), op.steps.stream().map(x -> x.state).toList());

            VmService.Removed r = svc.remove(PciAddress.parse("0000:03:00.0").orElseThrow(), vm, false, sd, Duration.ofSeconds(5));
            assertEquals(List.of("0000:03:00.0", "0000:03:00.1"), r.removed());
            assertTrue(r.pending().isEmpty());
            assertTrue(q.devices.isEmpty());
        }
    }

    @Test
    void aGroupNotOnVfioIsRefusedBeforeTheVmIsAsked() throws Exception {
        FakeSysfs fs = host("e1000e");
        QmpHotplugTest.FakeQemu q = new QmpHotplugTest.FakeQemu();
        q.ports.put("rp1", true);
        try (FakeQmpServer s = new FakeQmpServer(tmp, FakeQmpServer.GREETING, q::handle)) {
            VmException e = assertThrows(VmException.class,
                    () -> service(fs, s, VmService.CrashPoint.NONE).add(PciAddress.parse("0000:03:00.1").orElseThrow(), new VmRef.Qmp(s.socket), false, tmp));
            assertEquals(VmErrorId.NotDismounted, e.id());
            assertTrue(e.getMessage().contains("0000:03:00.0 on e1000e"), e.getMessage());
            assertTrue(s.received.isEmpty(), "no QMP connection was made");
        }
    }

    @Test
    void aCrashMidAddIsRepairedByTakingTheHalfAttachBackOut() throws Exception {
        FakeSysfs fs = host("vfio-pci");
        QmpHotplugTest.FakeQemu q = new QmpHotplugTest.FakeQemu();
        q.ports.put("rp1", true);
        Path sd = tmp.resolve("state");
        try (FakeQmpServer s = new FakeQmpServer(tmp, FakeQmpServer.GREETING, q::handle)) {
            VmService crashing = service(fs, s, (step, applied) -> {
                if (step == 0 && applied) {
                    throw new Halt();
                }
            });
            VmRef vm = new VmRef.Qmp(s.socket);
            assertThrows(Halt.class, () -> crashing.add(PciAddress.parse("0000:03:00.0").orElseThrow(), vm, false, sd));
            assertEquals(1, q.devices.size(), "function 1 went in before the crash");
            assertEquals("running", new VmJournal(sd).load().status);

            VmService svc = service(fs, s, VmService.CrashPoint.NONE);
            VmException busy = assertThrows(VmException.class, () -> svc.add(PciAddress.parse("0000:03:00.0").orElseThrow(), vm, false, sd));
            assertEquals(VmErrorId.RepairNeeded, busy.id());

            VmService.Repaired r = svc.repair(sd);
            assertEquals("repaired", r.statusAfter());
            assertEquals(1, r.undone().size());
            assertTrue(q.devices.isEmpty(), "repair took it out again: " + q.devices.keySet());
            assertNull(svc.repair(sd), "nothing left to repair");
            assertTrue(Files.exists(sd.resolve(VmJournal.FILE)));
        }
    }
}
