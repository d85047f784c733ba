package org.ddabridge.check.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ddabridge.check.CheckStatus;
import org.ddabridge.check.HostCheck;
import org.ddabridge.check.Reason;
import org.ddabridge.check.ReasonCode;
import org.ddabridge.check.Severity;
import org.ddabridge.check.Verdict;
import org.ddabridge.platform.windows.JsonDeviceSource;
import org.ddabridge.platform.windows.WindowsMapper;
import org.junit.jupiter.api.Test;

/**
 * Recorded Windows hosts (tests/fixtures/windows) through mapping + checker. For each device the expected
 * verdict and the decisive message are what Microsoft's SurveyDDA.ps1 prints for the same property values.
 */
class WindowsSurveyFixturesTest {
    static Map<String, WindowsDeviceReport> survey(String fixture, List<HostCheck> checksOut) {
        Path p = Path.of(System.getProperty("ddabridge.repo", "..")).resolve("tests/fixtures/windows/" + fixture);
        JsonDeviceSource src = JsonDeviceSource.open(p);
        WindowsChecker.Result r = WindowsChecker.run(WindowsMapper.map(src.devices(), src.host()));
        checksOut.addAll(r.checks());
        Map<String, WindowsDeviceReport> by = new HashMap<>();
        r.devices().forEach(d -> by.put(d.device().address(), d));
        return by;
    }

    /** The reason the survey stopped at (first error), else the last one it printed. */
    static Reason decisive(WindowsDeviceReport r) {
        return r.reasons().stream().filter(x -> x.severity() == Severity.ERROR).findFirst()
                .orElse(r.reasons().get(r.reasons().size() - 1));
    }

    static void expect(WindowsDeviceReport r, Verdict v, String code, String message) {
        assertEquals(v, r.verdict(), r.device().address());
        assertEquals(code, decisive(r).code(), r.device().address());
        assertTrue(decisive(r).message().startsWith(message), decisive(r).message());
        assertTrue(r.reasons().stream().allMatch(x -> !x.evidence().isEmpty()), "every reason has evidence");
    }

    @Test
    void workstationGpuBehindPchRootPortWithoutAcs() {
        List<HostCheck> checks = new java.util.ArrayList<>();
        Map<String, WindowsDeviceReport> r = survey("workstation-pch-gpu.windows.json", checks);
        // GPU: RMRR clear, then AcsCompatibleUpHierarchy = 0 (NotSupported) -> the script stops at the ACS check.
        expect(r.get("0000:03:00.0"), Verdict.NotAssignable, ReasonCode.ACS_PATH_MISSING,
                "Traffic from this device may be redirected to other devices in the system. Not assignable.");
        assertEquals(1, r.get("0000:03:00.0").reasons().size(), "nothing after the ACS failure (survey order)");
        // Its HD-audio function sits behind the same root port: same value, same message.
        expect(r.get("0000:03:00.1"), Verdict.NotAssignable, ReasonCode.ACS_PATH_MISSING,
                "Traffic from this device may be redirected to other devices in the system. Not assignable.");
        // The PCH root port itself: DeviceType 8 (root port) -> the catch-all of the device-type check.
        expect(r.get("0000:00:1c.4"), Verdict.NotAssignable, ReasonCode.BRIDGE_OR_PORT,
                "Old-style PCI device, switch port, etc. Not assignable.");
        // Intel iGPU: RequiresReservedMemoryRegion = 1 is checked first, before anything else.
        expect(r.get("0000:00:02.0"), Verdict.NotAssignable, ReasonCode.RESERVED_MEMORY_REGION,
                "BIOS requires that this device remain attached to BIOS-owned memory. Not assignable.");
        assertEquals(CheckStatus.PASS, checks.get(1).status());
        // Evidence names the Windows property and its value.
        assertEquals("DEVPKEY_PciDevice_AcsCompatibleUpHierarchy",
                decisive(r.get("0000:03:00.0")).evidence().get(0).source());
        assertEquals("0 (NotSupported)", decisive(r.get("0000:03:00.0")).evidence().get(0).value());
    }

    @Test
    void serverNvmeBehindCpuRootPorts() {
        Map<String, WindowsDeviceReport> r = survey("server-nvme.windows.json", new java.util.ArrayList<>());
        WindowsDeviceReport nvme = r.get("0000:18:00.0");
        // RMRR 0, ACS up Supported (3), DeviceType 2 -> "Express Endpoint -- more secure.", MSI-X vectors
        // (numbers near 2^32) -> message-based, 16 KiB + 2 KiB allocated -> the script prints 1 MB.
        expect(nvme, Verdict.Assignable, ReasonCode.MMIO_REQUIREMENT,
                "And it requires at least: 1 MB of MMIO gap space.");
        List<String> codes = nvme.reasons().stream().map(Reason::code).toList();
        assertEquals(List.of(ReasonCode.ACS_PATH_ISOLATED, ReasonCode.PCIE_ENDPOINT,
                ReasonCode.MESSAGE_SIGNALED_INTERRUPTS, ReasonCode.MMIO_REQUIREMENT), codes);
        assertEquals("Express Endpoint -- more secure.", nvme.reasons().get(1).message());
        assertEquals(1L, nvme.mmioMiB());
        // The second drive is disabled: the script warns that resources cannot be checked and moves on.
        expect(r.get("0000:19:00.0"), Verdict.AssignableWithWarnings, WindowsReasonCodes.DEVICE_DISABLED,
                "Device is disabled");
        // CPU root ports: bridge type 8.
        expect(r.get("0000:17:00.0"), Verdict.NotAssignable, ReasonCode.BRIDGE_OR_PORT,
                "Old-style PCI device, switch port, etc. Not assignable.");
    }

    @Test
    void usbControllerInRmrr() {
        List<HostCheck> checks = new java.util.ArrayList<>();
        Map<String, WindowsDeviceReport> r = survey("usb-rmrr.windows.json", checks);
        // xHCI: RequiresReservedMemoryRegion = 1 -> first check fails, nothing else is looked at.
        expect(r.get("0000:00:14.0"), Verdict.NotAssignable, ReasonCode.RESERVED_MEMORY_REGION,
                "BIOS requires that this device remain attached to BIOS-owned memory. Not assignable.");
        assertEquals(1, r.get("0000:00:14.0").reasons().size());
        // The integrated NIC: RC-integrated endpoint -> "Embedded Endpoint -- less secure." (a warning), MSI.
        WindowsDeviceReport nic = r.get("0000:00:1f.6");
        assertEquals(Verdict.AssignableWithWarnings, nic.verdict());
        assertEquals("Embedded Endpoint -- less secure.", nic.reasons().get(1).message());
        // Host: IovSupport false -> the script's closing line, with Hyper-V's reasons.
        HostCheck iov = checks.get(1);
        assertEquals(WindowsChecker.IOV_SUPPORT, iov.id());
        assertEquals(CheckStatus.FAIL, iov.status());
        assertTrue(iov.message().startsWith("Unfortunately, this machine doesn't support using them in a VM."));
        assertEquals("IOVSupportReasons", iov.evidence().get(1).source());
    }

    @Test
    void conventionalPciCardBehindBridge() {
        Map<String, WindowsDeviceReport> r = survey("conventional-pci.windows.json", new java.util.ArrayList<>());
        // The card reports no AcsCompatibleUpHierarchy: the script's "-eq 0" test does not fire on a missing value,
        // so it reaches the device-type check: DeviceType 0 (conventional) -> the catch-all message.
        WindowsDeviceReport card = r.get("0000:06:00.0");
        expect(card, Verdict.NotAssignable, ReasonCode.CONVENTIONAL_PCI,
                "Old-style PCI device, switch port, etc. Not assignable.");
        assertEquals(WindowsReasonCodes.ACS_PATH_UNKNOWN, card.reasons().get(0).code());
        // The ASMedia PCIe-to-PCI bridge reports ACS up NotSupported -> stops at the ACS check.
        expect(r.get("0000:05:00.0"), Verdict.NotAssignable, ReasonCode.ACS_PATH_MISSING,
                "Traffic from this device may be redirected");
        assertEquals("0000:05:00.0", card.device().parent());
        assertEquals(List.of("0000:05:00.0", "0000:00:1c.0"), card.device().upstreamBridges());
    }

    @Test
    void lineInterruptsOnlyStopTheSurvey() {
        // A PCIe endpoint whose only allocated interrupt is a line IRQ (16): "All of the interrupts are line-based".
        var facts = new org.ddabridge.platform.windows.WindowsPciFacts("0000:01:00.0", "PCI\\VEN_1234&DEV_5678\\0",
                "PCIROOT(0)#PCI(0100)#PCI(0000)", "card", 2, 2, 1, 0, 3, null, false, null, null, null, null, null,
                null, 0, false, List.of(), List.of(16L));
        List<Reason> out = new java.util.ArrayList<>();
        WindowsChecker.check(null, facts, out);
        assertEquals(ReasonCode.LINE_INTERRUPTS_ONLY, out.get(out.size() - 1).code());
        assertEquals("All of the interrupts are line-based, no assignment can work.", out.get(out.size() - 1).message());
    }

    @Test
    void bigBarsWarnAboutVmMmioDefaults() {
        List<HostCheck> checks = new java.util.ArrayList<>();
        Map<String, WindowsDeviceReport> r = survey("workstation-pch-gpu.windows.json", checks);
        // Not reached for the GPU (ACS stops it), but the arithmetic is the same: check it directly.
        var f = r.get("0000:03:00.0").facts();
        var moved = new org.ddabridge.platform.windows.WindowsPciFacts(f.address(), f.instanceId(), f.locationPath(),
                f.friendlyName(), 2, 3, 3, 1, 3, null, false, null, null, null, null, null, null, 0, false,
                f.memoryRanges(), f.interrupts());
        List<Reason> out = new java.util.ArrayList<>();
        Long mib = WindowsChecker.check(null, moved, out);
        assertEquals(16 + 8192 + 32, mib);
        assertEquals(ReasonCode.MMIO_ABOVE_DEFAULT, out.get(out.size() - 1).code());
        assertTrue(out.get(out.size() - 1).remediation().contains("-HighMemoryMappedIoSpace 8224MB"));
    }
}
