package org.ddabridge.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ddabridge.model.PciAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QMP client and the slot logic against a real QEMU on this machine: a paused ({@code -S}), OS-less q35 VM with
 * 64 MB, no accelerator work (it never runs), and only emulated devices (nothing of the host is passed through).
 * qemu-system-x86_64 is installed by build.sh: without it this test fails. vfio-pci itself is proven in the e2e guest.
 */
class QmpRealQemuTest {
    @TempDir
    Path dir;

    /** QEMU binds the socket a moment before it listens: retry refused connects for a few seconds. */
    private static QmpClient connectWhenListening(Path sock) throws InterruptedException {
        VmException last = null;
        for (int i = 0; i < 200; i++) {
            if (Files.exists(sock)) {
                try {
                    return QmpClient.connect(sock, Duration.ofSeconds(20));
                } catch (VmException e) {
                    if (e.id() != VmErrorId.QmpConnectFailed) {
                        throw e;
                    }
                    last = e;
                }
            }
            Thread.sleep(25);
        }
        throw last != null ? last : new VmException(VmErrorId.QmpConnectFailed, "QEMU never created " + sock);
    }

    @Test
    void slotsAddAndAPendingRemovalOnAPausedQemu() throws Exception {
        Path qemu = Path.of("/usr/bin/qemu-system-x86_64");
        assertTrue(Files.isExecutable(qemu), "qemu-system-x86_64 not installed (./build.sh installs it)");
        Path sock = dir.resolve("q.sock");
        Process p = new ProcessBuilder(qemu.toString(), "-machine", "q35", "-accel", "tcg", "-m", "64", "-nodefaults",
                "-display", "none", "-S", "-qmp", "unix:" + sock + ",server=on,wait=off",
                "-device", "pcie-root-port,id=rp1,chassis=1,bus=pcie.0,addr=0x4",
                "-device", "pcie-root-port,id=rp2,chassis=2,bus=pcie.0,addr=0x5",
                "-device", "pcie-root-port,id=rp3,chassis=3,bus=pcie.0,addr=0x6,hotplug=off",
                "-device", "e1000e,id=net0,bus=rp2,romfile=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            try (QmpClient c = connectWhenListening(sock)) {
                assertTrue(c.greeting().major() >= 7, c.greeting().version());
                assertEquals("prelaunch", c.runState());
                QmpHotplug h = new QmpHotplug(c);
                List<QmpHotplug.Slot> slots = h.slots();
                assertEquals(List.of("rp1", "rp2", "rp3"), slots.stream().map(QmpHotplug.Slot::bus).toList());
                assertEquals(List.of(true, false, false), slots.stream().map(QmpHotplug.Slot::free).toList(),
                        "rp2 holds net0, rp3 has hotplug=off: " + slots);
                assertEquals(List.of("/machine/peripheral/net0"), slots.get(1).children());

                // an emulated NIC into the free port, the way vfio-pci goes in
                JsonObject add = new JsonObject();
                add.addProperty("driver", "e1000e");
                add.addProperty("id", "ddab-test");
                add.addProperty("bus", slots.get(0).bus());
                add.addProperty("addr", "0.0");
                add.addProperty("romfile", "");
                c.deviceAdd(add);
                assertFalse(h.slots().get(0).free(), "rp1 is taken now");
                VmException none = org.junit.jupiter.api.Assertions.assertThrows(VmException.class,
                        () -> h.plan(List.of(PciAddress.parse("0000:01:00.0").orElseThrow())));
                assertEquals(VmErrorId.NoFreeHotplugSlot, none.id());

                // nothing answers the unplug request in a VM without an OS: DEVICE_DELETED never comes
                c.deviceDel("ddab-test");
                assertTrue(c.awaitEvent(e -> "DEVICE_DELETED".equals(e.name()), Duration.ofMillis(1500)).isEmpty());
                VmException e = org.junit.jupiter.api.Assertions.assertThrows(VmException.class, () -> c.deviceDel("no-such-device"));
                assertEquals(VmErrorId.QmpCommandFailed, e.id());
                assertEquals("DeviceNotFound", e.detail());
            }
        } finally {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
