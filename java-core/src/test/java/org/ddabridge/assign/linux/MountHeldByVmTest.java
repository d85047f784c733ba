package org.ddabridge.assign.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mount refuses while a QEMU holds the group's /dev/vfio node, naming the VM; it works once the VM let go. */
class MountHeldByVmTest {
    @TempDir
    Path tmp;

    @Test
    void mountIsRefusedWhileAVmHoldsTheGroupAndWorksAfterwards() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("t")).reference(false);
        AssignService s = AssignServiceTest.service(h);
        s.dismount(AssignServiceTest.args("dismount", h, "address", FakeHost.NVME), Progress.NONE);
        assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.NVME));

        // a QEMU of libvirt's with the NVMe's group (10) open
        Path p = Files.createDirectories(h.root.resolve("proc/4242/fd"));
        Files.createSymbolicLink(p.resolve("17"), Path.of("/dev/vfio/10"));
        Files.write(p.getParent().resolve("cmdline"), String.join("\0", "/usr/bin/qemu-system-x86_64", "-name",
                "guest=web,debug-threads=on", "-S").getBytes(StandardCharsets.UTF_8));

        EngineException e = assertThrows(EngineException.class,
                () -> s.mount(AssignServiceTest.args("mount", h, "address", FakeHost.NVME), Progress.NONE));
        assertEquals(ErrorId.DeviceHeldByVm, e.id());
        assertTrue(e.getMessage().contains("VM 'web' (pid 4242)"), e.getMessage());
        assertEquals("web", ((Map<?, ?>) e.details()).get("vm"));
        assertEquals("vfio-pci|vfio-pci", h.driverState().get(FakeHost.NVME), "nothing moved");
        assertThrows(EngineException.class, () -> s.mount(AssignServiceTest.args("mount", h, "address", FakeHost.NVME,
                "whatIf", true), Progress.NONE), "what-if says so too");

        Files.delete(p.resolve("17"));   // the VM let go (vm-remove)
        Map<String, Object> m = AssignServiceTest.map(s.mount(AssignServiceTest.args("mount", h, "address", FakeHost.NVME),
                Progress.NONE));
        assertEquals("done", m.get("status"));
    }
}
