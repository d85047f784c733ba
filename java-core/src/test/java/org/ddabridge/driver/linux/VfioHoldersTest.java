package org.ddabridge.driver.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The holder scan on fake proc trees (fd symlinks whose targets need not exist). */
class VfioHoldersTest {
    @TempDir
    Path proc;

    private void process(int pid, String comm, List<String> args, String... fdTargets) throws IOException {
        Path d = Files.createDirectories(proc.resolve(Integer.toString(pid)).resolve("fd"));
        Files.writeString(d.getParent().resolve("comm"), comm + "\n");
        Files.write(d.getParent().resolve("cmdline"), (String.join("\0", args) + "\0").getBytes(StandardCharsets.UTF_8));
        int fd = 0;
        for (String t : fdTargets) {
            Files.createSymbolicLink(d.resolve(Integer.toString(fd++)), Path.of(t));
        }
    }

    @Test
    void theQemuProcessesHoldingTheGroupAreFoundWithTheirVmNames() throws IOException {
        process(100, "qemu-system-x86", List.of("/usr/bin/qemu-system-x86_64", "-name", "guest=StorageServer,debug-threads=on",
                "-S", "-machine", "pc-q35-7.2"), "/dev/null", "/dev/vfio/vfio", "/dev/vfio/12");
        process(200, "qemu-system-x86", List.of("/usr/bin/qemu-system-x86_64", "-machine", "q35",
                "-qmp", "unix:/tmp/qmp.sock,server=on,wait=off"), "/dev/vfio/12");
        process(300, "qemu-system-x86", List.of("qemu-system-x86_64", "-name", "other"), "/dev/vfio/13", "/dev/vfio/120");
        process(400, "bash", List.of("bash"), "/dev/pts/0");
        process(500, "qemu-system-x86", List.of("qemu-system-x86_64", "-name", "guest=chrooted"), "/jroot/dev/vfio/12");
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve("sys"));

        VfioHolders.Scan s = VfioHolders.holders(proc, 12, -1);
        assertEquals(List.of(100, 200, 500), s.holders().stream().map(VfioHolders.Holder::pid).toList(),
                "500 runs in a chroot: its fd reads /jroot/dev/vfio/12 from here");
        VfioHolders.Holder a = s.holders().get(0);
        assertEquals("StorageServer", a.vmName());
        assertEquals("VM 'StorageServer' (pid 100)", a.describe());
        VfioHolders.Holder b = s.holders().get(1);
        assertNull(b.vmName());
        assertEquals("/tmp/qmp.sock", b.qmpSocket());
        assertEquals("VM qmp:/tmp/qmp.sock (pid 200)", b.describe());
        assertEquals("qemu-system-x86", b.comm());

        assertEquals(List.of(200, 500), VfioHolders.holders(proc, 12, 100).holders().stream().map(VfioHolders.Holder::pid).toList(),
                "the excluded pid (the engine itself) is left out");
        assertEquals(List.of(300), VfioHolders.holders(proc, 13, -1).holders().stream().map(VfioHolders.Holder::pid).toList(),
                "/dev/vfio/120 is not group 12 and /dev/vfio/13 is group 13");
        assertTrue(VfioHolders.holders(proc, 7, -1).holders().isEmpty());
    }

    @Test
    void qemuProcessesAreListedWithTheGroupsTheyHold() throws IOException {
        process(100, "qemu-system-x86", List.of("/usr/bin/qemu-system-x86_64", "-name", "guest=web,debug-threads=on"),
                "/dev/vfio/vfio", "/dev/vfio/12", "/dev/vfio/9", "/dev/vfio/12");
        process(200, "bash", List.of("/bin/bash"), "/dev/vfio/3");
        process(300, "qemu-system-x86", List.of("qemu-system-x86_64", "-qmp", "unix:/tmp/q.sock,server=on"));
        List<VfioHolders.QemuProcess> q = VfioHolders.qemuProcesses(proc);
        assertEquals(List.of(new VfioHolders.QemuProcess(100, "web", null, List.of(9, 12)),
                new VfioHolders.QemuProcess(300, null, "/tmp/q.sock", List.of())), q);
    }

    @Test
    void aProcessWithoutAnFdTableCountsAsUnreadable() throws IOException {
        Files.createDirectories(proc.resolve("500"));   // no fd directory: gone, or not ours to read
        process(600, "qemu", List.of("qemu", "-name", "x"), "/dev/vfio/3");
        VfioHolders.Scan s = VfioHolders.holders(proc, 3, -1);
        assertEquals(1, s.unreadable());
        assertEquals(1, s.holders().size());
    }

    @Test
    void vmNamesInEveryFormQemuAccepts() {
        assertEquals(Optional.of("web"), VfioHolders.vmName(List.of("q", "-name", "guest=web,debug-threads=on")));
        assertEquals(Optional.of("web"), VfioHolders.vmName(List.of("q", "-name", "web")));
        assertEquals(Optional.of("web"), VfioHolders.vmName(List.of("q", "-name", "web,process=qemu-web")));
        assertEquals(Optional.of("web"), VfioHolders.vmName(List.of("q", "--name", "debug-threads=on,guest=web")));
        assertEquals(Optional.of("a,b"), VfioHolders.vmName(List.of("q", "-name", "guest=a,,b,debug-threads=on")));
        assertEquals(Optional.of("w"), VfioHolders.vmName(List.of("q", "-name=guest=w")));
        assertEquals(Optional.empty(), VfioHolders.vmName(List.of("q", "-name", "debug-threads=on")));
        assertEquals(Optional.empty(), VfioHolders.vmName(List.of("q", "-machine", "q35")));
        assertEquals(Optional.empty(), VfioHolders.vmName(List.of("q", "-name")));
    }

    @Test
    void qmpSocketsFromTheCommandLine() {
        assertEquals(Optional.of("/run/q.sock"), VfioHolders.qmpSocket(List.of("q", "-qmp", "unix:/run/q.sock,server=on,wait=off")));
        assertEquals(Optional.of("/run/q.sock"), VfioHolders.qmpSocket(List.of("q", "-qmp", "unix:path=/run/q.sock,server")));
        assertEquals(Optional.empty(), VfioHolders.qmpSocket(List.of("q", "-qmp", "tcp:localhost:4444,server")));
    }
}
