package org.ddabridge.assign.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.driver.linux.NativeFiles;
import org.ddabridge.driver.linux.VfioGroups;
import org.ddabridge.engine.Engine;
import org.ddabridge.util.HostRoot;

/**
 * Attacks on the write path: a root that really is {@code /}, symlinks swapped in between check and write,
 * final symlinks, journal addresses that climb out of the device directory, crafted VFIO nodes.
 */
class WriteGuardAdversarialTest {
    @TempDir
    Path tmp;

    /**
     * A driver core that fails the test on any mutation: the live machine is never written, even when the
     * guard under test is broken.
     */
    static final class NeverWrites implements DriverCore {
        private final DriverCore reads;

        NeverWrites(HostRoot root) {
            this.reads = new SimulatedDriverCore(root, Map.of());
        }

        private static IOException no(String what) {
            throw new AssertionError("a mutation reached the driver core of the live machine: " + what);
        }

        @Override
        public String driver(String address) {
            return reads.driver(address);
        }

        @Override
        public String driverOverride(String address) {
            return reads.driverOverride(address);
        }

        @Override
        public boolean driverAvailable(String driver) {
            return reads.driverAvailable(driver);
        }

        @Override
        public void loadModule(String module) throws IOException {
            throw no("modprobe " + module);
        }

        @Override
        public void setOverride(String address, String driver) throws IOException {
            throw no("override " + address);
        }

        @Override
        public void unbind(String address) throws IOException {
            throw no("unbind " + address);
        }

        @Override
        public void probe(String address) throws IOException {
            throw no("probe " + address);
        }

        @Override
        public void bind(String address, String driver) throws IOException {
            throw no("bind " + address);
        }

        @Override
        public GroupStatus groupStatus(int group) {
            return new GroupStatus(false, false, -1, "not asked");
        }

        @Override
        public boolean simulated() {
            return false;
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rootsThatAreReallyTheLiveMachineAreGuardedAsLive() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("innocent-looking-tree"), Path.of("/"));
        Path viaProc = Path.of("/proc/self/root");
        Path dotted = Path.of(tmp.toString(), "..", "..", "..", "..", "..", "..");
        for (Path root : List.of(link, viaProc, dotted)) {
            assertTrue(HostRoot.of(root).isLive(), root + " must count as the live machine");
            String address = firstLiveFunction();
            for (String cmd : List.of("dismount", "mount", "repair", "disable", "enable")) {
                JsonObject o = new JsonObject();
                o.addProperty("root", root.toString());
                o.addProperty("stateDir", tmp.resolve("state").toString());
                if (!cmd.equals("repair")) {
                    JsonArray a = new JsonArray();
                    a.add(address);
                    o.add("address", a);
                    o.addProperty("force", true);
                }
                AssignService s = new AssignService(NeverWrites::new, new BasicAssignabilityPolicy(), CrashHook.NONE,
                        Map.of());
                Engine engine = new Engine(s);
                EngineException e = assertThrows(EngineException.class, () -> engine.execute(cmd, o, Progress.NONE),
                        cmd + " --root " + root);
                assertEquals(ErrorId.Refused, e.id(), cmd + " --root " + root + ": " + e.getMessage());
                assertEquals("LiveMutationNotAllowed", ((Map<?, ?>) e.details()).get("reason"), cmd + " " + root);
            }
        }
    }

    private static String firstLiveFunction() {
        List<String> names = org.ddabridge.util.SysFiles.listNames(Path.of("/sys/bus/pci/devices"));
        return names.isEmpty() ? "0000:00:00.0" : names.get(0);
    }

    /**
     * A thread flips the device's link between its real directory and one outside the tree as fast as it can
     * while the sysfs core writes driver_override through it: the check and the write are the same object,
     * so not one byte ever lands outside.
     */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void symlinkSwappedInBetweenCheckAndWriteNeverRedirectsTheWrite() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("race")).reference(true);
        Path link = h.root.resolve("sys/bus/pci/devices").resolve(FakeHost.NVME);
        Path inside = Files.readSymbolicLink(link);
        Path outside = Files.createDirectories(tmp.resolve("real-sys-stand-in").resolve(FakeHost.NVME));
        Files.writeString(outside.resolve("driver_override"), "(null)\n");
        SysfsDriverCore core = new SysfsDriverCore(h.hostRoot());
        AtomicBoolean stop = new AtomicBoolean();
        Thread flipper = new Thread(() -> {
            boolean out = false;
            while (!stop.get()) {
                try {
                    Path tmpLink = link.resolveSibling(".flip");
                    Files.deleteIfExists(tmpLink);
                    Files.createSymbolicLink(tmpLink, out ? inside : outside);
                    Files.move(tmpLink, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    out = !out;
                } catch (IOException e) {
                    // keep flipping
                }
            }
        });
        flipper.start();
        AtomicInteger written = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        long end = System.nanoTime() + 4_000_000_000L;
        try {
            while (System.nanoTime() < end) {
                try {
                    core.setOverride(FakeHost.NVME, "vfio-pci");
                    written.incrementAndGet();
                } catch (EngineException e) {
                    assertEquals(ErrorId.Refused, e.id(), e.getMessage());
                    refused.incrementAndGet();
                } catch (IOException e) {
                    refused.incrementAndGet();
                }
            }
        } finally {
            stop.set(true);
            flipper.join();
        }
        assertEquals("(null)\n", Files.readString(outside.resolve("driver_override")),
                "a write landed outside the tree (" + written + " written, " + refused + " refused)");
        assertTrue(refused.get() > 0, "the link was never seen pointing out: the race did not happen");
        assertTrue(written.get() > 0, "no write went through inside the tree either");
    }

    @Test
    void finalSymlinkIsNeverFollowedEvenInsideTheTree() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("final")).reference(true);
        Path ov = h.nvmeDir.resolve("driver_override");
        Path other = h.nvmeDir.resolve("other_attribute");
        Files.writeString(other, "untouched\n");
        Files.delete(ov);
        Files.createSymbolicLink(ov, other);
        SysfsDriverCore core = new SysfsDriverCore(h.hostRoot());
        assertThrows(IOException.class, () -> core.setOverride(FakeHost.NVME, "vfio-pci"));
        SimulatedDriverCore sim = new SimulatedDriverCore(h.hostRoot(), Map.of());
        assertThrows(IOException.class, () -> sim.setOverride(FakeHost.NVME, "vfio-pci"));
        assertEquals("untouched\n", Files.readString(other));
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifoAsAnAttributeIsRefusedWithoutBlocking() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("fifo")).reference(true);
        Path ov = h.nvmeDir.resolve("driver_override");
        Files.delete(ov);
        assertEquals(0, new ProcessBuilder("mkfifo", ov.toString()).start().waitFor());
        SysfsDriverCore core = new SysfsDriverCore(h.hostRoot());
        Exception e = assertThrows(Exception.class, () -> core.setOverride(FakeHost.NVME, "vfio-pci"));
        assertTrue(e instanceof IOException || e instanceof EngineException, e.toString());
    }

    @Test
    void openedObjectOutsideTheRootIsRefusedByTheSecondCheck() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("second")).reference(true);
        Path outside = Files.writeString(tmp.resolve("outside-file"), "x");
        assertTrue(NativeFiles.available());
        try (NativeFiles.Fd fd = NativeFiles.openForWrite(outside, false)) {
            EngineException e = assertThrows(EngineException.class, () -> org.ddabridge.util.MutationGuard
                    .checkOpened(h.hostRoot(), h.nvmeDir.resolve("driver_override"), fd.realPath(), fd.attributes()));
            assertEquals("OutsideRoot", ((Map<?, ?>) e.details()).get("reason"));
        }
    }

    @Test
    void addressesAndDriverNamesThatClimbOutAreRefusedWhereThePathIsBuilt() {
        FakeHost h = new FakeHost(tmp.resolve("names")).reference(true);
        SysfsDriverCore core = new SysfsDriverCore(h.hostRoot());
        for (String bad : List.of("../../../../x", "0000:01:00.0/../../x", "0000:01:00.0\0", "..")) {
            EngineException e = assertThrows(EngineException.class, () -> core.setOverride(bad, "vfio-pci"), bad);
            assertEquals(ErrorId.InvalidArgument, e.id());
        }
        EngineException e = assertThrows(EngineException.class, () -> core.bind(FakeHost.NVME, "../../../x"));
        assertEquals(ErrorId.InvalidArgument, e.id());
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void vfioStatusOpensOnlyCharacterDevicesUnderTheRealDevVfio() throws Exception {
        for (String node : List.of("/dev/null", "/dev/vfio/../null", "/dev/vfio/11/../../null", "/dev/zero",
                tmp.resolve("dev/vfio/11").toString(), "/dev/vfio/vfio")) {
            VfioGroups.Status s = VfioGroups.status(node);
            assertTrue(s.flags() < 0 && s.error().contains("not a VFIO group node"), node + ": " + s);
        }
        // A host image with dev/vfio/11 leading to a real character device: nothing is opened.
        FakeHost h = new FakeHost(tmp.resolve("vfio")).reference(true);
        Files.createDirectories(h.root.resolve("dev/vfio"));
        Files.createSymbolicLink(h.root.resolve("dev/vfio/11"), Path.of("/dev/zero"));
        JsonObject o = new JsonObject();
        o.addProperty("root", h.root.toString());
        o.addProperty("group", "11");
        Map<?, ?> r = (Map<?, ?>) new Engine().execute("vfio-status", o, Progress.NONE);
        assertEquals(Boolean.FALSE, r.get("exists"));
        assertEquals(Boolean.FALSE, r.get("viable"));
        assertFalse(new SysfsDriverCore(h.hostRoot()).groupStatus(11).present());
    }

    @Test
    void badAddressInAJournalNeverReachesAPath() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("journal")).reference(true);
        Path sd = h.root.resolve("var/lib/ddabridge");
        Files.createDirectories(sd);
        // A journal that asks repair to restore "../../../../x" (with a valid checksum, as an attacker would).
        String text = "{\"version\":1,\"pool\":{},\"operation\":{\"id\":\"dismount-1\",\"kind\":\"dismount\","
                + "\"status\":\"running\",\"devices\":[{\"address\":\"../../../../x\",\"group\":1,"
                + "\"beforeDriver\":\"nvme\",\"beforeOverride\":\"\",\"afterDriver\":\"vfio-pci\","
                + "\"afterOverride\":\"vfio-pci\"}],\"steps\":[]}}";
        Files.writeString(sd.resolve(Journal.FILE), JournalCorruptionTest.resign(text));
        Path escape = h.root.resolve("x");
        Map<String, String> before = h.driverState();
        EngineException e = assertThrows(EngineException.class, () -> AssignServiceTest.service(h).pool(
                new Args("pool", AssignServiceTest.args("pool", h).json()), Progress.NONE));
        assertEquals(ErrorId.JournalCorrupt, e.id());
        Map<String, Object> rep = AssignServiceTest.map(AssignServiceTest.service(h).repair(
                AssignServiceTest.args("repair", h), Progress.NONE));
        assertEquals(Boolean.TRUE, rep.get("repaired"));
        assertFalse(Files.exists(escape));
        assertEquals(before, h.driverState());
    }
}
