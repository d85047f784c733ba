package org.ddabridge.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.ddabridge.check.CheckStatus;
import org.ddabridge.check.Checker;
import org.ddabridge.check.DeviceReport;
import org.ddabridge.check.Evidence;
import org.ddabridge.check.HostCheck;
import org.ddabridge.check.HostChecks;
import org.ddabridge.check.Reason;
import org.ddabridge.check.ReasonCode;
import org.ddabridge.check.Severity;
import org.ddabridge.check.Target;
import org.ddabridge.check.Verdict;
import org.ddabridge.driver.windows.JsonDeviceSource;
import org.ddabridge.model.HostUse;
import org.ddabridge.model.PciDevice;
import org.ddabridge.model.windows.WindowsPciFacts;
import org.ddabridge.platform.windows.WindowsPlatform;
/**
 * Hand-made Windows hosts (tests/fixtures/windows, from documented property values) through mapping,
 * {@link WindowsFacts} and the common checker ({@link Survey#ofHost}). For each device the expected verdict and the decisive message are what
 * Microsoft's SurveyDDA.ps1 prints for the same property values.
 */
class WindowsSurveyFixturesTest {
    static Path fixture(String name) {
        return Path.of(System.getProperty("ddabridge.repo", "..")).resolve("tests/fixtures/windows/" + name);
    }

    static Map<String, DeviceReport> survey(String fixture, List<HostCheck> checksOut) {
        SurveyReport r = Survey.ofHost(new WindowsPlatform(JsonDeviceSource.open(fixture(fixture))), l -> l);
        checksOut.addAll(r.checks());
        Map<String, DeviceReport> by = new HashMap<>();
        r.reports().forEach(d -> by.put(d.device().address(), d));
        return by;
    }

    /** The Windows facts the fixture holds for one function (to vary them). */
    static WindowsPciFacts facts(String fixture, String address) {
        return new WindowsPlatform(JsonDeviceSource.open(fixture(fixture))).mapped().facts().get(address);
    }

    /** One function judged alone in survey order. */
    static DeviceReport judge(PciDevice d, WindowsPciFacts f) {
        return Checker.judge(List.of(WindowsFacts.of(d, f)), HostUse.unknown(), List.of(),
                Checker.Order.STOP_AT_FIRST_ERROR).devices().get(0);
    }

    /** The reason the survey stopped at (first error), else the last one it printed. */
    static Reason decisive(DeviceReport r) {
        List<Reason> reasons = r.target(Target.HYPERV).reasons();
        return reasons.stream().filter(x -> x.severity() == Severity.ERROR).findFirst()
                .orElse(reasons.get(reasons.size() - 1));
    }

    /** Hyper-V's device-only judgement (what SurveyDDA.ps1 prints for the device). */
    static void expect(DeviceReport r, Verdict v, String code, String message) {
        assertEquals(v, r.target(Target.HYPERV).verdict(), r.device().address());
        assertEquals(code, decisive(r).code(), r.device().address());
        assertTrue(decisive(r).message().startsWith(message), decisive(r).message());
        assertTrue(r.reasons().stream().allMatch(x -> !x.evidence().isEmpty()), "every reason has evidence");
    }

    @Test
    void workstationGpuBehindPchRootPortWithoutAcs() {
        List<HostCheck> checks = new java.util.ArrayList<>();
        Map<String, DeviceReport> r = survey("workstation-pch-gpu.windows.json", checks);
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
        Map<String, DeviceReport> r = survey("server-nvme.windows.json", new java.util.ArrayList<>());
        DeviceReport nvme = r.get("0000:18:00.0");
        // RMRR 0, ACS up Supported (3), DeviceType 2 -> "Express Endpoint -- more secure.", MSI-X vectors
        // (numbers near 2^32) -> message-based, 16 KiB + 2 KiB allocated -> the script prints 1 MB.
        expect(nvme, Verdict.Assignable, ReasonCode.MMIO_REQUIREMENT,
                "And it requires at least: 1 MB of MMIO gap space.");
        List<String> codes = nvme.reasons().stream().map(Reason::code).toList();
        assertEquals(List.of(ReasonCode.ACS_PATH_ISOLATED, ReasonCode.PCIE_ENDPOINT,
                ReasonCode.MESSAGE_SIGNALED_INTERRUPTS, ReasonCode.MMIO_REQUIREMENT), codes);
        assertEquals("Express Endpoint -- more secure.", nvme.reasons().get(1).message());
        assertEquals(1L, nvme.mmio().totalMiB());
        // The second drive is disabled: the script warns that resources cannot be checked and moves on.
        expect(r.get("0000:19:00.0"), Verdict.AssignableWithWarnings, ReasonCode.DEVICE_DISABLED,
                "Device is disabled");
        // CPU root ports: bridge type 8.
        expect(r.get("0000:17:00.0"), Verdict.NotAssignable, ReasonCode.BRIDGE_OR_PORT,
                "Old-style PCI device, switch port, etc. Not assignable.");
    }

    @Test
    void usbControllerInRmrr() {
        List<HostCheck> checks = new java.util.ArrayList<>();
        Map<String, DeviceReport> r = survey("usb-rmrr.windows.json", checks);
        // xHCI: RequiresReservedMemoryRegion = 1 -> first check fails, nothing else is looked at.
        expect(r.get("0000:00:14.0"), Verdict.NotAssignable, ReasonCode.RESERVED_MEMORY_REGION,
                "BIOS requires that this device remain attached to BIOS-owned memory. Not assignable.");
        assertEquals(1, r.get("0000:00:14.0").target(Target.HYPERV).reasons().size());
        // The integrated NIC: RC-integrated endpoint -> "Embedded Endpoint -- less secure." (a warning), MSI.
        DeviceReport nic = r.get("0000:00:1f.6");
        assertEquals(Verdict.AssignableWithWarnings, nic.target(Target.HYPERV).verdict());
        // This host's Hyper-V says IovSupport False: here and now nothing is assignable, and the headline says why.
        assertEquals(Verdict.NotAssignable, nic.verdict());
        Reason host = nic.reasons().get(0);
        assertEquals(ReasonCode.HOST_NOT_READY, host.code());
        assertTrue(host.message().contains("IovSupport"), host.message());
        assertEquals(Target.HYPERV, nic.target());
        assertEquals("Embedded Endpoint -- less secure.", nic.target(Target.HYPERV).reasons().get(1).message());
        // Host: IovSupport false -> the script's closing line, with Hyper-V's reasons.
        HostCheck iov = checks.get(1);
        assertEquals(HostChecks.IOV_SUPPORT, iov.id());
        assertEquals(CheckStatus.FAIL, iov.status());
        assertTrue(iov.message().startsWith("Unfortunately, this machine doesn't support using them in a VM."));
        assertEquals("IOVSupportReasons", iov.evidence().get(1).source());
    }

    @Test
    void conventionalPciCardBehindBridge() {
        Map<String, DeviceReport> r = survey("conventional-pci.windows.json", new java.util.ArrayList<>());
        // The card reports no AcsCompatibleUpHierarchy: the script's "-eq 0" test does not fire on a missing value,
        // so it reaches the device-type check: DeviceType 0 (conventional) -> the catch-all message.
        DeviceReport card = r.get("0000:06:00.0");
        expect(card, Verdict.NotAssignable, ReasonCode.CONVENTIONAL_PCI,
                "Old-style PCI device, switch port, etc. Not assignable.");
        assertEquals(ReasonCode.ACS_PATH_UNKNOWN, card.reasons().get(0).code());
        // The ASMedia PCIe-to-PCI bridge reports ACS up NotSupported -> stops at the ACS check.
        expect(r.get("0000:05:00.0"), Verdict.NotAssignable, ReasonCode.ACS_PATH_MISSING,
                "Traffic from this device may be redirected");
        assertEquals("0000:05:00.0", card.device().parent());
        assertEquals(List.of("0000:05:00.0", "0000:00:1c.0"), card.device().upstreamBridges());
    }

    @Test
    void lineInterruptsOnlyStopTheSurvey() {
        // A PCIe endpoint whose only allocated interrupt is a line IRQ (16): "All of the interrupts are line-based".
        var facts = new WindowsPciFacts("0000:01:00.0", "PCI\\VEN_1234&DEV_5678\\0",
                "PCIROOT(0)#PCI(0100)#PCI(0000)", "card", 2, 2, 1, 0, 3, null, false, null, null, null, null, null,
                null, 0, false, List.of(), List.of(16L));
        DeviceReport r = judge(device("0000:01:00.0", "020000"), facts);
        Reason last = r.reasons().get(r.reasons().size() - 1);
        assertEquals(ReasonCode.LINE_INTERRUPTS_ONLY, last.code());
        assertEquals("All of the interrupts are line-based, no assignment can work.", last.message());
        assertEquals("AllocatedResources.IRQ", last.evidence().get(0).source());
        assertEquals("16", last.evidence().get(0).value());
        assertEquals(Verdict.NotAssignable, r.verdict());
    }

    @Test
    void bigBarsWarnAboutVmMmioDefaults() {
        Map<String, DeviceReport> r = survey("workstation-pch-gpu.windows.json", new java.util.ArrayList<>());
        // Not reached for the GPU (ACS stops it), but the arithmetic is the same: check it with ACS supported.
        DeviceReport gpu = r.get("0000:03:00.0");
        var f = facts("workstation-pch-gpu.windows.json", "0000:03:00.0");
        var moved = new WindowsPciFacts(f.address(), f.instanceId(), f.locationPath(),
                f.friendlyName(), 2, 3, 3, 1, 3, null, false, null, null, null, null, null, null, 0, false,
                f.memoryRanges(), f.interrupts());
        DeviceReport d = judge(gpu.device(), moved);
        assertEquals(16 + 8192 + 32, d.mmio().totalMiB());
        Reason mmio = d.reasons().stream().filter(x -> x.code().equals(ReasonCode.MMIO_REQUIREMENT)).findFirst()
                .orElseThrow();
        assertTrue(mmio.message().startsWith("And it requires at least: 8240 MB of MMIO gap space."), mmio.message());
        assertEquals(ReasonCode.MMIO_ABOVE_DEFAULT, d.reasons().get(d.reasons().size() - 1).code());
        // One rule for both platforms: 8 GiB + 32 MiB of 64-bit ranges round up to the next power of two (BARs
        // are naturally aligned), as on Linux; the plain sum (8224MB) may not hold both BARs.
        assertTrue(d.reasons().get(d.reasons().size() - 1).remediation().contains("-HighMemoryMappedIoSpace 16384MB"),
                d.reasons().get(d.reasons().size() - 1).remediation());
    }

    static PciDevice device(String address, String classCode) {
        return new PciDevice(address, null, null, "1234", "5678", "0000", "0000", "00", classCode, null, null, null,
                null, null, null, List.of(), null, List.of(), null, List.of(), false, null, null, List.of());
    }
}
