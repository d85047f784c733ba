package org.ddabridge.check.windows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.ddabridge.check.CheckStatus;
import org.ddabridge.check.Evidence;
import org.ddabridge.check.HostCheck;
import org.ddabridge.check.Reason;
import org.ddabridge.check.ReasonCode;
import org.ddabridge.check.Severity;
import org.ddabridge.check.Verdict;
import org.ddabridge.model.PciDevice;
import org.ddabridge.platform.windows.DevPropKeys;
import org.ddabridge.platform.windows.HostProperties;
import org.ddabridge.platform.windows.MemoryRange;
import org.ddabridge.platform.windows.WindowsMapper;
import org.ddabridge.platform.windows.WindowsPciFacts;

/**
 * Microsoft's DDA survey (SurveyDDA.ps1) as data, over {@link WindowsPciFacts}. Same order as the script,
 * stopping where it stops:
 * <ol>
 *   <li>RequiresReservedMemoryRegion set: not assignable;</li>
 *   <li>AcsCompatibleUpHierarchy NotSupported: not assignable;</li>
 *   <li>DeviceType: endpoint ok, integrated endpoint warning, legacy endpoint only for display, everything
 *       else not assignable;</li>
 *   <li>disabled: a warning, and the resource checks are skipped (the script says to enable and re-run);</li>
 *   <li>interrupts: none ok, only line-based not assignable, message-signalled ok;</li>
 *   <li>MMIO: the allocated memory rounded up to MiB.</li>
 * </ol>
 * Reasons reuse the Linux {@link ReasonCode}s and severities; every reason carries the Windows property name
 * and value as evidence.
 */
public final class WindowsChecker {
    /** Host check id: Hyper-V's I/O virtualization verdict. */
    public static final String IOV_SUPPORT = "IovSupport";
    /** Host check id: Hyper-V management present. */
    public static final String HYPERV_PRESENT = "HyperVPresent";

    static final long MIB = 1L << 20;
    /** Hyper-V's default VM MMIO gaps (documented defaults: 128 MB low, 512 MB high). */
    static final long HYPERV_LOW_DEFAULT = 128 * MIB;
    static final long HYPERV_HIGH_DEFAULT = 512 * MIB;
    /**
     * The survey treats an interrupt as message-signalled when its number, as WMI prints it, starts with
     * {@code 42949} (MSI vectors appear as values just below 2^32). This is that range.
     */
    static final long MSI_FLOOR = 4_294_900_000L;

    /** The survey's result. */
    public record Result(List<HostCheck> checks, List<WindowsDeviceReport> devices) {
        /** Count per verdict, every verdict listed. */
        public Map<String, Integer> summary() {
            Map<String, Integer> m = new LinkedHashMap<>();
            for (Verdict v : Verdict.values()) {
                m.put(v.name(), 0);
            }
            for (WindowsDeviceReport r : devices) {
                m.merge(r.verdict().name(), 1, Integer::sum);
            }
            return m;
        }
    }

    private WindowsChecker() {
    }

    /** Runs the survey over a mapped host. */
    public static Result run(WindowsMapper.Result mapped) {
        List<WindowsDeviceReport> reports = new ArrayList<>();
        for (PciDevice d : mapped.snapshot().devices()) {
            WindowsPciFacts f = mapped.facts().get(d.address());
            List<Reason> reasons = new ArrayList<>();
            Long mmio = check(d, f, reasons);
            reports.add(new WindowsDeviceReport(d, Verdict.of(reasons), reasons, mmio, f));
        }
        return new Result(hostChecks(mapped.host()), List.copyOf(reports));
    }

    /** One device in survey order; returns the MMIO MiB when the survey got that far, else null. */
    static Long check(PciDevice d, WindowsPciFacts f, List<Reason> out) {
        // 1. Firmware-reserved memory (RMRR).
        Evidence rmrr = ev(DevPropKeys.PCI_REQUIRES_RESERVED_MEMORY_REGION, f.requiresReservedMemoryRegion());
        if (Boolean.TRUE.equals(f.requiresReservedMemoryRegion())) {
            out.add(new Reason(ReasonCode.RESERVED_MEMORY_REGION, Severity.ERROR,
                    "BIOS requires that this device remain attached to BIOS-owned memory. Not assignable.",
                    List.of(rmrr), "A firmware update or setting (e.g. legacy USB support off) may drop the "
                            + "reserved region; Hyper-V will not assign the device while it is there."));
            return null;
        }
        // 2. ACS on the way up.
        Integer acs = f.acsCompatibleUpHierarchy();
        Evidence acsEv = new Evidence(DevPropKeys.PCI_ACS_COMPATIBLE_UP_HIERARCHY.name(),
                acs == null ? "absent" : acs + " (" + DevPropKeys.acsUpName(acs) + ")");
        if (acs != null && acs == DevPropKeys.ACS_UP_NOT_SUPPORTED) {
            out.add(new Reason(ReasonCode.ACS_PATH_MISSING, Severity.ERROR,
                    "Traffic from this device may be redirected to other devices in the system. Not assignable.",
                    List.of(acsEv), "Move the card to a slot whose root port supports ACS (often the CPU-attached "
                            + "slots), or enable ACS in the firmware setup."));
            return null;
        }
        if (acs == null) {
            // The script compares the value with 0; an absent value passes there. Say so.
            out.add(new Reason(WindowsReasonCodes.ACS_PATH_UNKNOWN, Severity.WARNING,
                    "Windows reports no ACS up-hierarchy value for this device; the survey does not stop here, "
                            + "but Hyper-V may refuse it.", List.of(acsEv), null));
        } else {
            out.add(Reason.info(ReasonCode.ACS_PATH_ISOLATED, "ACS up the hierarchy: "
                    + DevPropKeys.acsUpName(acs) + ".", List.of(acsEv)));
        }
        // 3. Device type.
        if (!deviceType(d, f, out)) {
            return null;
        }
        // 4. Disabled: the allocated resources are gone.
        if (f.disabled()) {
            out.add(new Reason(WindowsReasonCodes.DEVICE_DISABLED, Severity.WARNING,
                    "Device is disabled: its interrupts and MMIO cannot be checked. Enable it and re-run the survey.",
                    List.of(new Evidence("CM_Get_DevNode_Status", "problem=" + f.problemCode() + " (CM_PROB_DISABLED)")),
                    "Enable-PnpDevice -InstanceId '" + f.instanceId() + "'"));
            return null;
        }
        // 5. Interrupts.
        if (!interrupts(f, out)) {
            return null;
        }
        // 6. MMIO.
        return mmio(f, out);
    }

    private static boolean deviceType(PciDevice d, WindowsPciFacts f, List<Reason> out) {
        Integer t = f.deviceType();
        List<Evidence> ev = new ArrayList<>();
        ev.add(new Evidence(DevPropKeys.PCI_DEVICE_TYPE.name(),
                t == null ? "absent" : t + " (" + DevPropKeys.deviceTypeName(t) + ")"));
        int type = t == null ? -1 : t;
        switch (type) {
            case DevPropKeys.DEVICE_TYPE_PCIE_ENDPOINT:
                out.add(Reason.info(ReasonCode.PCIE_ENDPOINT, "Express Endpoint -- more secure.", ev));
                return true;
            case DevPropKeys.DEVICE_TYPE_PCIE_RC_INTEGRATED_ENDPOINT:
                out.add(new Reason(ReasonCode.RC_INTEGRATED_ENDPOINT, Severity.WARNING,
                        "Embedded Endpoint -- less secure.", ev,
                        "Integrated endpoints share the root complex with the host; assign only if you trust the guest."));
                return true;
            case DevPropKeys.DEVICE_TYPE_PCIE_LEGACY_ENDPOINT:
                ev.add(new Evidence(DevPropKeys.PCI_BASE_CLASS.name(), String.valueOf(f.baseClass())));
                if (f.baseClass() != null && f.baseClass() == 3) {
                    out.add(new Reason(ReasonCode.LEGACY_ENDPOINT_DISPLAY, Severity.WARNING,
                            "Legacy Express Endpoint -- graphics controller.", ev,
                            "Legacy endpoints are accepted for graphics only."));
                    return true;
                }
                out.add(new Reason(ReasonCode.LEGACY_ENDPOINT, Severity.ERROR,
                        "Legacy, non-VGA PCI device. Not assignable.", ev, null));
                return false;
            case DevPropKeys.DEVICE_TYPE_PCIE_TREATED_AS_PCI:
                out.add(new Reason(WindowsReasonCodes.PCIE_TREATED_AS_PCI, Severity.ERROR,
                        "BIOS kept control of PCI Express for this device. Not assignable.", ev,
                        "Check the firmware's PCIe native control / OS control settings (_OSC)."));
                return false;
            case DevPropKeys.DEVICE_TYPE_PCI_CONVENTIONAL:
            case DevPropKeys.DEVICE_TYPE_PCI_X:
            case -1:
                out.add(new Reason(ReasonCode.CONVENTIONAL_PCI, Severity.ERROR,
                        "Old-style PCI device, switch port, etc. Not assignable.", ev, "Use a PCI Express device."));
                return false;
            default:
                out.add(new Reason(ReasonCode.BRIDGE_OR_PORT, Severity.ERROR,
                        "Old-style PCI device, switch port, etc. Not assignable.", ev,
                        "Assign the endpoints below this bridge instead."));
                return false;
        }
    }

    private static boolean interrupts(WindowsPciFacts f, List<Reason> out) {
        List<Evidence> ev = new ArrayList<>();
        if (f.interruptSupport() != null) {
            ev.add(new Evidence(DevPropKeys.PCI_INTERRUPT_SUPPORT.name(), f.interruptSupport() + " ("
                    + interruptKinds(f.interruptSupport()) + ")"));
        }
        boolean any;
        boolean message;
        if (f.interrupts() != null) {
            ev.add(0, new Evidence("AllocatedResources.IRQ", f.interrupts().isEmpty() ? "none"
                    : f.interrupts().stream().map(String::valueOf).collect(Collectors.joining(" "))));
            any = !f.interrupts().isEmpty();
            message = f.interrupts().stream().anyMatch(n -> n >= MSI_FLOOR && n <= 0xFFFF_FFFFL);
        } else if (f.interruptSupport() != null) {
            // Allocation not read: fall back to what the device supports.
            any = f.interruptSupport() != 0;
            message = (f.interruptSupport() & (DevPropKeys.INTERRUPT_MSI | DevPropKeys.INTERRUPT_MSIX)) != 0;
        } else {
            return true;
        }
        if (!any) {
            out.add(Reason.info(ReasonCode.NO_INTERRUPTS, "It has no interrupts at all -- assignment can work.", ev));
            return true;
        }
        if (!message) {
            out.add(new Reason(ReasonCode.LINE_INTERRUPTS_ONLY, Severity.ERROR,
                    "All of the interrupts are line-based, no assignment can work.", ev,
                    "Hyper-V needs MSI or MSI-X; check whether the driver can enable MSI."));
            return false;
        }
        out.add(Reason.info(ReasonCode.MESSAGE_SIGNALED_INTERRUPTS,
                "Its interrupts are message-based, assignment can work.", ev));
        return true;
    }

    static String interruptKinds(int bits) {
        List<String> k = new ArrayList<>();
        if ((bits & DevPropKeys.INTERRUPT_LINE_BASED) != 0) {
            k.add("line");
        }
        if ((bits & DevPropKeys.INTERRUPT_MSI) != 0) {
            k.add("MSI");
        }
        if ((bits & DevPropKeys.INTERRUPT_MSIX) != 0) {
            k.add("MSI-X");
        }
        return k.isEmpty() ? "none" : String.join(", ", k);
    }

    private static Long mmio(WindowsPciFacts f, List<Reason> out) {
        if (f.memoryRanges() == null) {
            return null;
        }
        long low = 0;
        long high = 0;
        for (MemoryRange r : f.memoryRanges()) {
            if (r.aboveFourGiB()) {
                high += r.size();
            } else {
                low += r.size();
            }
        }
        long total = low + high;
        long mib = (total + MIB - 1) / MIB;
        List<Evidence> ev = List.of(new Evidence("AllocatedResources.Memory", f.memoryRanges().isEmpty() ? "none"
                : f.memoryRanges().stream().map(MemoryRange::toString).collect(Collectors.joining(" "))));
        String where = f.locationPath() == null ? "" : " Location path: " + f.locationPath() + ".";
        if (total == 0) {
            out.add(Reason.info(ReasonCode.MMIO_REQUIREMENT, "It has no MMIO space." + where, ev));
            return 0L;
        }
        out.add(new Reason(ReasonCode.MMIO_REQUIREMENT, Severity.INFO,
                "And it requires at least: " + mib + " MB of MMIO gap space." + where, ev,
                "Set-VM -LowMemoryMappedIoSpace / -HighMemoryMappedIoSpace so the VM's gaps hold every assigned "
                        + "device (" + mb(low) + " below 4 GiB, " + mb(high) + " above)."));
        if (low > HYPERV_LOW_DEFAULT || high > HYPERV_HIGH_DEFAULT) {
            out.add(new Reason(ReasonCode.MMIO_ABOVE_DEFAULT, Severity.WARNING,
                    "Needs more MMIO space than a VM gets by default (Hyper-V: 128 MB low, 512 MB high).", ev,
                    "Set-VM -VMName <vm> -LowMemoryMappedIoSpace " + mb(Math.max(low, HYPERV_LOW_DEFAULT))
                            + " -HighMemoryMappedIoSpace " + mb(Math.max(high, HYPERV_HIGH_DEFAULT))));
        }
        return mib;
    }

    static Evidence ev(DevPropKeys.Key key, Object value) {
        return new Evidence(key.name(), value == null ? "absent" : String.valueOf(value));
    }

    static String mb(long bytes) {
        return ((bytes + MIB - 1) / MIB) + "MB";
    }

    /** Host checks from Hyper-V's own view. */
    static List<HostCheck> hostChecks(HostProperties h) {
        List<HostCheck> out = new ArrayList<>();
        if (h.hyperVPresent() == null) {
            out.add(new HostCheck(HYPERV_PRESENT, CheckStatus.UNKNOWN, "Not known whether Hyper-V is installed.",
                    List.of(), null));
        } else if (h.hyperVPresent()) {
            out.add(new HostCheck(HYPERV_PRESENT, CheckStatus.PASS, "Hyper-V's management service answers.",
                    List.of(new Evidence("WMI root\\virtualization\\v2", "reachable")), null));
        } else {
            out.add(new HostCheck(HYPERV_PRESENT, CheckStatus.FAIL, "Hyper-V is not installed or not running.",
                    List.of(new Evidence("WMI root\\virtualization\\v2", "not reachable")),
                    "Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-All"));
        }
        String src = "Msvm_VirtualEthernetSwitchManagementCapabilities.IOVSupport";
        if (h.iovSupport() == null) {
            out.add(new HostCheck(IOV_SUPPORT, CheckStatus.UNKNOWN, "Hyper-V's I/O virtualization support is unknown.",
                    List.of(), null));
        } else if (h.iovSupport()) {
            out.add(new HostCheck(IOV_SUPPORT, CheckStatus.PASS,
                    "The host supports I/O virtualization (IOMMU with interrupt remapping).",
                    List.of(new Evidence(src, "True")), null));
        } else {
            List<Evidence> ev = new ArrayList<>();
            ev.add(new Evidence(src, "False"));
            for (String r : h.iovSupportReasons()) {
                ev.add(new Evidence("IOVSupportReasons", r));
            }
            out.add(new HostCheck(IOV_SUPPORT, CheckStatus.FAIL,
                    "Unfortunately, this machine doesn't support using them in a VM."
                            + (h.iovSupportReasons().isEmpty() ? "" : " " + String.join(" ", h.iovSupportReasons())),
                    ev, "Enable VT-d / AMD-Vi (IOMMU) and SR-IOV in the firmware setup."));
        }
        return out;
    }
}
