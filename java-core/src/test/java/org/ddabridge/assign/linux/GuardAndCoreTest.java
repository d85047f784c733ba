package org.ddabridge.assign.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.driver.linux.HostUseReader;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.cli.Main;
import org.ddabridge.util.HostRoot;
import org.ddabridge.util.MutationGuard;
/** The live-mutation guard, the real sysfs core on a fake tree, host-use parsing and the CLI. */
class GuardAndCoreTest {
    @TempDir
    Path tmp;

    @Test
    void liveMutationNeedsTheGuestMarkerOrAnExplicitOptIn() {
        assertFalse(MutationGuard.liveAllowed("BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet", Map.of(), null));
        assertFalse(MutationGuard.liveAllowed("x ddabridge_e2e_guest=10", Map.of("DDABRIDGE_ALLOW_LIVE_MUTATION", "0"),
                "false"));
        assertTrue(MutationGuard.liveAllowed("console=ttyS0 ddabridge_e2e_guest=1 panic=-1", Map.of(), null));
        assertTrue(MutationGuard.liveAllowed("", Map.of("DDABRIDGE_ALLOW_LIVE_MUTATION", "1"), null));
        assertTrue(MutationGuard.liveAllowed("", Map.of(), "true"));
    }

    @Test
    void thisMachineIsNotAnE2eGuestAndTestsDoNotOptIn() {
        // Safety net for the suite itself: if this ever fails, a test could reach the real /sys.
        assertFalse(MutationGuard.isE2eGuest());
        assertFalse("1".equals(System.getenv(MutationGuard.ALLOW_ENV)));
        EngineException e = assertThrows(EngineException.class, () -> MutationGuard.checkRoot(HostRoot.live()));
        assertEquals(ErrorId.Refused, e.id());
        assertEquals("LiveMutationNotAllowed", ((Map<?, ?>) e.details()).get("reason"));
        assertEquals(CrashHook.NONE, CrashHook.fromEnvironment(Map.of("DDABRIDGE_CRASH_AFTER_STEP", "1")));
    }

    @Test
    void sysfsCoreWritesInsideTheTreeAndRefusesLinksLeadingOut() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("tree")).reference(true);
        SysfsDriverCore core = new SysfsDriverCore(h.hostRoot());
        // files the kernel would provide
        Files.writeString(h.root.resolve("sys/bus/pci/drivers_probe"), "");
        core.setOverride(FakeHost.NVME, "vfio-pci");
        assertEquals("vfio-pci", Files.readString(h.nvmeDir.resolve("driver_override")));
        core.probe(FakeHost.NVME);
        assertEquals(FakeHost.NVME, Files.readString(h.root.resolve("sys/bus/pci/drivers_probe")));
        // unbind goes to drivers/nvme/unbind, which must already exist (sysfs files are never created)
        assertThrows(java.io.IOException.class, () -> core.unbind(FakeHost.NVME));
        // a driver directory that leads outside the tree is refused before anything is written
        Path outside = Files.createDirectories(tmp.resolve("outside/e1000e"));
        Files.writeString(outside.resolve("unbind"), "");
        Path drv = h.root.resolve("sys/bus/pci/drivers/e1000e");
        Files.delete(drv);
        Files.createSymbolicLink(drv, outside);
        EngineException e = assertThrows(EngineException.class, () -> core.unbind(FakeHost.E1000E_0));
        assertEquals("OutsideRoot", ((Map<?, ?>) e.details()).get("reason"));
        assertEquals("", Files.readString(outside.resolve("unbind")));
        assertFalse(core.simulated());
        assertFalse(core.groupStatus(10).present());
    }

    @Test
    void defaultRoutesFromProcNetRouteAndIpv6Route() {
        var v4 = List.of("Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT",
                "ens3\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
                "ens3\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0");
        var v6 = List.of("00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                + "fe800000000000000000000000000001 00000400 00000001 00000000 00000003 ens4",
                "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                + "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200 lo");
        assertEquals(java.util.Set.of("ens3", "ens4"), HostUseReader.parseDefaultRoutes(v4, v6));
    }

    @Test
    void defaultRouteThroughABridgeAboveTheNicCounts() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("br")).reference(true);
        h.write("proc/net/route", "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
                + "br0\t00000000\t0102A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n");
        Path eth = h.mkdirs("sys/class/net/eth1");
        h.mkdirs("sys/class/net/br0");
        Files.createSymbolicLink(eth.resolve("upper_br0"), Path.of("../br0"));
        h.mkdirs("sys/bus/pci/devices/" + FakeHost.E1000E_0 + "/net/eth1");
        var snap = new org.ddabridge.platform.linux.LinuxPlatform(h.hostRoot()).snapshot();
        var use = HostUseReader.read(h.hostRoot(), snap.devices());
        assertEquals(List.of("br0"), use.defaultRoute().get(FakeHost.E1000E_0));
    }

    @Test
    void cliDismountPoolMountOnAFakeTree() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("cli")).reference(true);
        String r = h.root.toString();
        // the real checker (production policy): the fake root ports have no ACS capability, which Hyper-V's
        // rules refuse (--target hyperv) and VFIO's (the Linux default, as in survey) do not: the pair is alone
        // in its group, so it moves without --force
        String[] out = run("dismount", "--root", r, "--json", "--target", "hyperv", "03:00.0");
        assertEquals("6", out[0], out[1] + out[2]);
        assertTrue(out[1].contains("\"NotAssignable\"") && out[1].contains("AcsPathMissing"), out[1]);
        out = run("dismount", "--root", r, "--json", "--target", "kvm", "03:00.0");
        assertEquals("2", out[0], out[1] + out[2]);
        assertTrue(out[1].contains("\"InvalidArgument\""), out[1]);
        out = run("dismount", "--root", r, "--json", "03:00.0");
        assertEquals("0", out[0], out[1] + out[2]);
        assertTrue(out[1].contains("\"ok\": true") && out[1].contains("\"simulated\": true"), out[1]);
        out = run("pool", "--root", r);
        assertEquals("0", out[0], out[2]);
        assertTrue(out[1].contains("0000:03:00.1") && out[1].contains("e1000e"), out[1]);
        out = run("dismount", "--root", r, "--json", "06:01.0", "--force");
        assertEquals("6", out[0]);
        assertTrue(out[1].contains("GroupContainsBridge"), out[1]);
        out = run("mount", "--root", r, "--location-path", "PCIROOT(0)#PCI(0400)#PCI(0001)");
        assertEquals("0", out[0], out[2]);
        out = run("repair", "--root", r, "--json");
        assertEquals("0", out[0], out[2]);
        assertTrue(out[1].contains("Nothing to repair"), out[1]);
        assertEquals("e1000e|", h.driverState().get(FakeHost.E1000E_0));
        // The NVMe behind a port without ACS, judged by Hyper-V's rules (VFIO's let it go alone in its group): the
        // what-if shows the plan and, like the real run, is refused (exit 6, with the real run's reason).
        out = run("dismount", "--root", r, "--what-if", "--target", "hyperv", "01:00.0");
        assertEquals("6", out[0], out[1] + out[2]);
        assertTrue(out[1].contains("What if") && out[1].contains("The real run would be refused [NotAssignable]"), out[1]);
    }

    private static String[] run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int rc = Main.run(args, new PrintWriter(o), new PrintWriter(e));
        return new String[] {String.valueOf(rc), o.toString(), e.toString()};
    }
}
