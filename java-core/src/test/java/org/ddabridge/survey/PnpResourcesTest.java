package org.ddabridge.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.ddabridge.api.Progress;
import org.ddabridge.check.HostCheck;
import org.ddabridge.check.IovSupport;
import org.ddabridge.engine.Engine;
import org.ddabridge.image.HostImages;
import org.ddabridge.util.HostRoot;

/**
 * The Windows-style allocated resources of the PnP view (what Win32_PnPAllocatedResource lists) on the host
 * image captured in the QEMU reference guest, against the kernel's own files in that image.
 */
class PnpResourcesTest {
    private static final Path IMAGE = Path.of(System.getProperty("ddabridge.repo", ".."),
            "tests/fixtures/hosts/qemu-reference.tar.gz");

    @SuppressWarnings("unchecked")
    private static Map<String, PnpDevice> pnp() {
        com.google.gson.JsonObject args = new com.google.gson.JsonObject();
        args.addProperty("root", IMAGE.toString());
        List<PnpDevice> all = (List<PnpDevice>) new Engine().execute("pnp", args, Progress.NONE);
        return all.stream().collect(Collectors.toMap(PnpDevice::address, Function.identity()));
    }

    /** The kernel's file of one function in the unpacked image. */
    private static String kernelFile(String address, String name) throws IOException {
        HostRoot root = HostImages.open(IMAGE.toString());
        Path f = root.pciDevices().resolve(address).resolve(name);
        return Files.isDirectory(f) ? String.valueOf(Files.list(f).count()) : Files.readString(f).trim();
    }

    @Test
    void messageVectorsAreNumberedDownFromTheTopOnePerAllocatedVector() throws IOException {
        Map<String, PnpDevice> all = pnp();
        PnpDevice nvme = all.get("0000:01:00.0");
        // One IRQ per vector the kernel allocated (msi_irqs), each in Windows' message-signalled range.
        assertEquals(Integer.parseInt(kernelFile("0000:01:00.0", "msi_irqs")), nvme.resources().irqs().size());
        assertTrue(nvme.resources().irqs().stream().allMatch(n -> n >= 4294967040L && n <= 4294967294L));
        Set<Long> seen = new HashSet<>();
        long highest = 0;
        for (PnpDevice d : all.values()) {
            for (long irq : d.resources().irqs()) {
                if (irq >= 4294967040L) {
                    assertTrue(seen.add(irq), "message IRQ " + irq + " given twice");
                    highest = Math.max(highest, irq);
                }
            }
        }
        assertEquals(PnpResources.FIRST_MESSAGE_IRQ, highest);
        assertEquals(4294967294L, highest);
        // Consecutive: nothing skipped between the first and the last.
        assertEquals(seen.size(), highest - seen.stream().mapToLong(Long::longValue).min().orElseThrow() + 1);
    }

    @Test
    void aLineOnlyDeviceListsTheKernelsLineAndTheMemoryRangesAreItsBars() throws IOException {
        Map<String, PnpDevice> all = pnp();
        PnpDevice ne2k = all.get("0000:06:01.0");
        assertEquals(List.of(Long.parseLong(kernelFile("0000:06:01.0", "irq"))), ne2k.resources().irqs());
        PnpDevice nvme = all.get("0000:01:00.0");
        String[] bar0 = kernelFile("0000:01:00.0", "resource").split("\n")[0].trim().split("\\s+");
        long start = Long.decode(bar0[0]);
        long end = Long.decode(bar0[1]);
        assertTrue(nvme.resources().memory().stream().anyMatch(r -> r.start() == start && r.end() == end),
                nvme.resources().memory().toString());
        assertEquals(0, nvme.configManagerErrorCode());
        assertEquals(28, all.get("0000:05:00.0").configManagerErrorCode()); // driverless bridge
    }

    @Test
    void iovSupportIsFalseExactlyWhenARequiredCheckFails() {
        HostCheck pass = new HostCheck("InterruptRemapping", org.ddabridge.check.CheckStatus.PASS, "ok", List.of(), null);
        HostCheck fail = new HostCheck("InterruptRemapping", org.ddabridge.check.CheckStatus.FAIL, "off", List.of(), null);
        HostCheck warn = new HostCheck("InterruptRemapping", org.ddabridge.check.CheckStatus.WARN, "unsafe", List.of(), null);
        HostCheck nested = new HostCheck("Nested", org.ddabridge.check.CheckStatus.FAIL, "nested", List.of(), null);
        assertTrue(IovSupport.of(List.of(pass, nested), "linux").supported());
        assertTrue(IovSupport.of(List.of(warn), "linux").supported());
        IovSupport no = IovSupport.of(List.of(fail, nested), "linux");
        assertFalse(no.supported());
        assertEquals(List.of("InterruptRemapping: off"), no.reasons());
    }
}
