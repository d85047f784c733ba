package org.ddabridge.assign.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;

/**
 * The e2e guest's injected sysfs write failure (DDABRIDGE_FAIL_WRITE): inert without the guest marker, exact
 * about which write fails, and nothing is written by the failing one. The QEMU cases (reference-crash,
 * 53-fault-injection.sh) use it against the guest's real sysfs.
 */
class WriteFaultTest {
    @TempDir
    Path tmp;

    @Test
    void inertOutsideTheE2eGuestWhateverTheEnvironmentSays() {
        assertSame(WriteFault.NONE, WriteFault.parse("unbind", false));
        assertSame(WriteFault.NONE, WriteFault.parse("not a spec at all", false));
        // this JVM does not run in the e2e guest, so the environment alone cannot enable it
        assertFalse(WriteFault.fromEnvironment(Map.of(WriteFault.ENV, "bind,unbind")).active());
    }

    @Test
    void malformedSpecsInTheGuestAreInvalidArguments() {
        for (String bad : new String[] {"unbindd", "bind:0", "bind:x", "bind:1:2", "bind,bind:2", "/sys/bus/pci/bind"}) {
            EngineException e = assertThrows(EngineException.class, () -> WriteFault.parse(bad, true), bad);
            assertEquals(ErrorId.InvalidArgument, e.id(), bad);
        }
    }

    @Test
    void theNamedWriteFailsBeforeWritingAndTheOthersGoThrough() throws Exception {
        FakeHost h = new FakeHost(tmp.resolve("tree")).reference(true);
        Path probe = h.root.resolve("sys/bus/pci/drivers_probe");
        Files.writeString(probe, "");
        SysfsDriverCore core = new SysfsDriverCore(h.hostRoot(), WriteFault.parse("drivers_probe:2,driver_override", true));
        IOException first = assertThrows(IOException.class, () -> core.setOverride(FakeHost.NVME, "vfio-pci"));
        assertTrue(first.getMessage().contains("DDABRIDGE_FAIL_WRITE"), first.getMessage());
        assertEquals("(null)", Files.readString(h.nvmeDir.resolve("driver_override")).trim());
        core.setOverride(FakeHost.NVME, "vfio-pci");   // the second write to driver_override is not named
        assertEquals("vfio-pci", Files.readString(h.nvmeDir.resolve("driver_override")));
        core.probe(FakeHost.NVME);                      // first drivers_probe goes through
        assertEquals(FakeHost.NVME, Files.readString(probe));
        Files.writeString(probe, "");
        assertThrows(IOException.class, () -> core.probe(FakeHost.NVME));   // the second one fails
        assertEquals("", Files.readString(probe));
        core.probe(FakeHost.NVME);
        assertEquals(FakeHost.NVME, Files.readString(probe));
    }
}
