package org.ddabridge.assign.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.check.CheckStatus;
import org.ddabridge.check.HostCheck;
import org.ddabridge.driver.linux.PersistedAssignments;
import org.ddabridge.model.BootOverride;
import org.ddabridge.platform.linux.LinuxPlatform;
import org.ddabridge.survey.Survey;
import org.ddabridge.util.HostRoot;

/**
 * Assignments that survive a reboot: dismount persists (udev rule, initramfs-tools hook and init-top script,
 * dracut configuration) unless transient, mount removes it, driverctl's overrides are listed and never fought,
 * pool and the survey's BootPersistence check compare the persisted list with the running system.
 */
class PersistenceTest {
    @TempDir
    Path tmp;
    private int treeNo;

    FakeHost host() {
        FakeHost h = new FakeHost(tmp.resolve("t" + (treeNo++))).reference(true);
        h.mkdirs("etc/initramfs-tools");
        h.mkdirs("etc/dracut.conf.d");
        return h;
    }

    static List<String> persisted(FakeHost h) {
        return PersistedAssignments.read(HostRoot.of(h.root)).stream().map(BootOverride::address).toList();
    }

    static AssignService service(FakeHost h) {
        return AssignServiceTest.service(h);
    }

    static Map<String, Object> map(Object o) {
        return AssignServiceTest.map(o);
    }

    static String read(FakeHost h, String rel) throws Exception {
        return Files.readString(h.root.resolve(rel));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    @Test
    void dismountPersistsByDefaultWithRuleAndInitramfsHooks() throws Exception {
        FakeHost h = host();
        Map<String, Object> r = map(service(h).dismount(AssignServiceTest.args("dismount", h, "address",
                FakeHost.NVME), Progress.NONE));
        assertEquals("done", r.get("status"));
        assertEquals(Boolean.TRUE, r.get("persistent"));
        assertEquals(List.of(FakeHost.NVME), persisted(h));
        assertTrue(read(h, PersistedAssignments.FILE).contains(FakeHost.NVME + " 1b36:0010"));
        String rule = read(h, BootPersistence.RULES);
        assertTrue(rule.contains("ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\"" + FakeHost.NVME + "\""), rule);
        assertTrue(rule.contains("ATTR{vendor}==\"0x1b36\", ATTR{device}==\"0x0010\""), rule);
        assertTrue(rule.contains("ATTR{driver_override}=\"vfio-pci\""), rule);
        assertTrue(Files.isExecutable(h.root.resolve(BootPersistence.INIT_TOP)));
        assertTrue(Files.isExecutable(h.root.resolve(BootPersistence.HOOK)));
        assertTrue(read(h, BootPersistence.HOOK).contains("manual_add_modules vfio-pci"));
        assertTrue(read(h, BootPersistence.DRACUT).contains("force_drivers+=\" vfio-pci \""));
        Map<String, Object> pool = map(service(h).pool(AssignServiceTest.args("pool", h), Progress.NONE));
        Map<String, Object> held = list(pool, "devices").get(0);
        assertEquals(Boolean.TRUE, held.get("persistent"));
        assertEquals("ddabridge", held.get("persistedBy"));
        Map<String, Object> p = list(pool, "persisted").get(0);
        assertEquals("applied", p.get("state"));
        assertEquals(Boolean.TRUE, p.get("matches"));
    }

    @Test
    void transientDismountWritesNothingAndMountRemovesThePersistence() throws Exception {
        FakeHost h = host();
        service(h).dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.E1000E_0, "transient", true),
                Progress.NONE);
        assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.E1000E_1));
        assertEquals(List.of(), persisted(h));
        assertFalse(Files.exists(h.root.resolve(BootPersistence.RULES)));
        Map<String, Object> pool = map(service(h).pool(AssignServiceTest.args("pool", h), Progress.NONE));
        assertEquals(Boolean.FALSE, list(pool, "devices").get(0).get("persistent"));
        // what a reboot does to a transient assignment: the host driver takes the functions again
        SimulatedDriverCore boot = new SimulatedDriverCore(HostRoot.of(h.root), FakeHost.naturalDrivers());
        for (String a : List.of(FakeHost.E1000E_0, FakeHost.E1000E_1)) {
            boot.setOverride(a, "");
            boot.unbind(a);
            boot.probe(a);
        }
        pool = map(service(h).pool(AssignServiceTest.args("pool", h), Progress.NONE));
        assertTrue(((String) list(pool, "devices").get(0).get("state")).startsWith("released (transient; back on "
                + "e1000e"), list(pool, "devices").toString());
        service(h).dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.E1000E_0, "transient", true),
                Progress.NONE);

        service(h).dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.NVME), Progress.NONE);
        // dismounting the held pair again, persistently, only persists it (no kernel step)
        Map<String, Object> again = map(service(h).dismount(AssignServiceTest.args("dismount", h, "address",
                FakeHost.E1000E_0), Progress.NONE));
        assertEquals(List.of("persist", "persist"), list(again, "steps").stream().map(s -> s.get("action")).toList());
        assertEquals(List.of(FakeHost.NVME, FakeHost.E1000E_0, FakeHost.E1000E_1), persisted(h));

        // mount --transient: back on the host driver now, still persisted for the next boot
        service(h).mount(AssignServiceTest.args("mount", h, "address", FakeHost.NVME, "transient", true),
                Progress.NONE);
        assertEquals("nvme|", h.driverState().get(FakeHost.NVME));
        assertTrue(persisted(h).contains(FakeHost.NVME));
        pool = map(service(h).pool(AssignServiceTest.args("pool", h), Progress.NONE));
        Map<String, Object> nv = list(pool, "persisted").stream()
                .filter(m -> FakeHost.NVME.equals(m.get("address"))).findFirst().orElseThrow();
        assertEquals("notApplied", nv.get("state"));
        assertEquals("nvme", nv.get("currentDriver"));
        assertTrue(((String) nv.get("fix")).contains("ddabridge dismount " + FakeHost.NVME), nv.toString());

        // mount of a persisted function that is not held any more removes only its boot entry
        Map<String, Object> m = map(service(h).mount(AssignServiceTest.args("mount", h, "address", FakeHost.NVME),
                Progress.NONE));
        assertEquals(List.of("unpersist"), list(m, "steps").stream().map(s -> s.get("action")).toList());
        assertFalse(persisted(h).contains(FakeHost.NVME));
        service(h).mount(AssignServiceTest.args("mount", h, "address", FakeHost.E1000E_0), Progress.NONE);
        assertEquals(List.of(), persisted(h));
        for (String f : List.of(PersistedAssignments.FILE, BootPersistence.RULES, BootPersistence.HOOK,
                BootPersistence.INIT_TOP, BootPersistence.DRACUT)) {
            assertFalse(Files.exists(h.root.resolve(f)), "the last mount removes " + f);
        }
    }

    @Test
    void driverctlOverridesAreListedAndNeverFought() throws Exception {
        FakeHost h = host();
        h.write("etc/driverctl.d/pci-" + FakeHost.NVME, "nvme\n");
        h.write("etc/driverctl.d/pci-" + FakeHost.E1000E_0, "vfio-pci\n");
        EngineException e = assertThrows(EngineException.class, () -> service(h).dismount(
                AssignServiceTest.args("dismount", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals(ErrorId.Refused, e.id());
        assertEquals("DriverctlOverride", map(e.details()).get("reason"));
        assertEquals("nvme|", h.driverState().get(FakeHost.NVME));
        // transient: driverctl's choice is what the next boot applies anyway
        service(h).dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.NVME, "transient", true),
                Progress.NONE);
        assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.NVME));

        // driverctl persists E1000E_0 for vfio-pci already: DdaBridge persists only its sibling
        service(h).dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.E1000E_0), Progress.NONE);
        assertEquals(List.of(FakeHost.E1000E_1), persisted(h));
        Map<String, Object> pool = map(service(h).pool(AssignServiceTest.args("pool", h), Progress.NONE));
        List<Map<String, Object>> ps = list(pool, "persisted");
        assertEquals(3, ps.size(), ps.toString());
        Map<String, Object> dcNvme = ps.stream().filter(m -> FakeHost.NVME.equals(m.get("address"))).findFirst()
                .orElseThrow();
        assertEquals("driverctl", dcNvme.get("source"));
        assertEquals("notApplied", dcNvme.get("state"), "driverctl wants nvme, the function is on vfio-pci now");

        EngineException m = assertThrows(EngineException.class, () -> service(h).mount(
                AssignServiceTest.args("mount", h, "address", FakeHost.E1000E_0), Progress.NONE));
        assertEquals("DriverctlOverride", map(m.details()).get("reason"));
        service(h).mount(AssignServiceTest.args("mount", h, "address", FakeHost.E1000E_0, "transient", true),
                Progress.NONE);
        assertEquals("e1000e|", h.driverState().get(FakeHost.E1000E_0));
        assertEquals("vfio-pci\n", read(h, "etc/driverctl.d/pci-" + FakeHost.E1000E_0), "driverctl's file untouched");
        assertEquals("nvme\n", read(h, "etc/driverctl.d/pci-" + FakeHost.NVME));
    }

    @Test
    void verifyBootReportsMissingMovedAndOtherDriverWithAFix() throws Exception {
        FakeHost h = host();
        service(h).dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.NVME), Progress.NONE);
        HostCheck ok = bootCheck(h);
        assertEquals(CheckStatus.PASS, ok.status(), ok.toString());
        // an NE2K card recorded at 0c:00.0 is gone (two NE2K cards exist: no unique match); the display
        // adapter (the only 1234:1111) was recorded at 0000:09:00.0 (its slot changed); the NVMe is rebound
        // to nvme outside DdaBridge
        h.append(PersistedAssignments.FILE, "0000:0c:00.0 10ec:8029\n0000:09:00.0 1234:1111\n");
        new SimulatedDriverCore(HostRoot.of(h.root), FakeHost.naturalDrivers()).setOverride(FakeHost.NVME, "");
        SimulatedDriverCore core = new SimulatedDriverCore(HostRoot.of(h.root), FakeHost.naturalDrivers());
        core.unbind(FakeHost.NVME);
        core.probe(FakeHost.NVME);
        assertEquals("nvme|", h.driverState().get(FakeHost.NVME));

        Map<String, Object> pool = map(service(h).pool(AssignServiceTest.args("pool", h), Progress.NONE));
        Map<String, Map<String, Object>> by = new java.util.TreeMap<>();
        list(pool, "persisted").forEach(m -> by.put((String) m.get("address"), m));
        assertEquals("notApplied", by.get(FakeHost.NVME).get("state"));
        assertEquals("missing", by.get("0000:0c:00.0").get("state"), "two NE2K cards exist: no unique match");
        assertEquals("moved", by.get("0000:09:00.0").get("state"));
        assertEquals(FakeHost.VGA, by.get("0000:09:00.0").get("movedTo"));
        assertTrue(((String) by.get("0000:09:00.0").get("fix")).contains("dismount " + FakeHost.VGA));
        assertTrue(((String) by.get("0000:0c:00.0").get("fix")).contains("ddabridge mount 0000:0c:00.0"));

        HostCheck bad = bootCheck(h);
        assertEquals(CheckStatus.WARN, bad.status());
        assertTrue(bad.message().startsWith("3 of 3"), bad.message());
        assertTrue(bad.remediation().contains("update-initramfs -u"), bad.remediation());
    }

    private static HostCheck bootCheck(FakeHost h) {
        return Survey.ofHost(new LinuxPlatform(HostRoot.of(h.root)), all -> all).checks().stream()
                .filter(c -> c.id().equals("BootPersistence")).findFirst().orElseThrow();
    }

    @Test
    void aFailedPersistIsRolledBackLikeAKernelStep() throws Exception {
        FakeHost h = host();
        Map<String, String> before = h.driverState();
        h.write("etc/ddabridge", "a file where the directory should be\n");
        EngineException e = assertThrows(EngineException.class, () -> service(h).dismount(
                AssignServiceTest.args("dismount", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals(ErrorId.IoFailure, e.id());
        Map<String, Object> d = map(e.details());
        assertEquals("rolledBack", d.get("rollback"));
        assertEquals("persist", ((Map<?, ?>) d.get("failedStep")).get("action"));
        assertEquals(before, h.driverState(), "the function went back to nvme");
    }
}
