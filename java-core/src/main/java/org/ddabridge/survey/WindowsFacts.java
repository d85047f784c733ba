package org.ddabridge.survey;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.ddabridge.model.windows.WindowsHost;
import org.ddabridge.check.DeviceFacts.AcsPath;
import org.ddabridge.check.DeviceFacts.AcsStatus;
import org.ddabridge.check.DeviceFacts.Disabled;
import org.ddabridge.check.DeviceFacts.Interrupts;
import org.ddabridge.check.DeviceFacts.Kind;
import org.ddabridge.check.DeviceFacts.Memory;
import org.ddabridge.check.DeviceFacts.ReservedMemory;
import org.ddabridge.check.DeviceFacts.Signal;
import org.ddabridge.check.DeviceFacts.Type;

import org.ddabridge.check.CheckStatus;
import org.ddabridge.check.DeviceFacts;
import org.ddabridge.check.Evidence;
import org.ddabridge.check.HostCheck;
import org.ddabridge.check.HostChecks;
import org.ddabridge.driver.windows.DevPropKeys;
import org.ddabridge.model.PciDevice;
import org.ddabridge.model.windows.HostProperties;
import org.ddabridge.model.windows.MemoryRange;
import org.ddabridge.model.windows.WindowsPciFacts;
import org.ddabridge.platform.windows.WindowsMapper;
/**
 * Builds {@link DeviceFacts} from what Windows reports ({@link WindowsPciFacts}: the
 * {@code DEVPKEY_PciDevice_*} properties, the device node status and the allocated resources), so the
 * common rules judge a Windows host. Every fact's evidence is the property name and its value. Windows has
 * no IOMMU groups and does not report reset capability: those facts are absent and their rules silent.
 * Also the Hyper-V host checks (HyperVPresent, IovSupport) for the common {@code checks} list.
 */
public final class WindowsFacts {
    /**
     * Microsoft's survey treats an interrupt as message-signalled when its number, as WMI prints it, starts
     * with {@code 42949} (MSI vectors appear as values just below 2^32). This is that range.
     */
    static final long MSI_FLOOR = 4_294_900_000L;

    private WindowsFacts() {
    }

    /** Facts for every mapped function, in the snapshot's (address) order. */
    public static List<DeviceFacts> of(WindowsHost mapped) {
        List<DeviceFacts> out = new ArrayList<>();
        for (PciDevice d : mapped.snapshot().devices()) {
            out.add(of(d, mapped.facts().get(d.address())));
        }
        return out;
    }

    /** One function's facts. */
    public static DeviceFacts of(PciDevice d, WindowsPciFacts f) {
        return new DeviceFacts(d, type(f), interrupts(f), acsPath(f), null, reservedMemory(f), disabled(f),
                memory(d, f), null, DeviceFacts.Sriov.none());
    }

    static Evidence ev(DevPropKeys.Key key, Object value) {
        return new Evidence(key.name(), value == null ? "absent" : String.valueOf(value));
    }

    static ReservedMemory reservedMemory(WindowsPciFacts f) {
        return Boolean.TRUE.equals(f.requiresReservedMemoryRegion())
                ? new ReservedMemory(true, ev(DevPropKeys.PCI_REQUIRES_RESERVED_MEMORY_REGION,
                        f.requiresReservedMemoryRegion()))
                : ReservedMemory.none();
    }

    /** DEVPKEY_PciDevice_AcsCompatibleUpHierarchy: 0 NotSupported fails; the script passes an absent value. */
    static AcsPath acsPath(WindowsPciFacts f) {
        Integer acs = f.acsCompatibleUpHierarchy();
        List<Evidence> ev = List.of(new Evidence(DevPropKeys.PCI_ACS_COMPATIBLE_UP_HIERARCHY.name(),
                acs == null ? "absent" : acs + " (" + DevPropKeys.acsUpName(acs) + ")"));
        if (acs == null) {
            return new AcsPath(AcsStatus.UNREPORTED, null, false, ev);
        }
        if (acs == DevPropKeys.ACS_UP_NOT_SUPPORTED) {
            return new AcsPath(AcsStatus.MISSING, null, false, ev);
        }
        return new AcsPath(AcsStatus.ISOLATED, null, false, ev);
    }

    /** DEVPKEY_PciDevice_DeviceType (pciprop.h); an absent value falls to the script's catch-all. */
    static Type type(WindowsPciFacts f) {
        Integer t = f.deviceType();
        List<Evidence> ev = new ArrayList<>();
        ev.add(new Evidence(DevPropKeys.PCI_DEVICE_TYPE.name(),
                t == null ? "absent" : t + " (" + DevPropKeys.deviceTypeName(t) + ")"));
        int type = t == null ? -1 : t;
        Kind kind = switch (type) {
            case DevPropKeys.DEVICE_TYPE_PCIE_ENDPOINT -> Kind.PCIE_ENDPOINT;
            case DevPropKeys.DEVICE_TYPE_PCIE_RC_INTEGRATED_ENDPOINT -> Kind.RC_INTEGRATED_ENDPOINT;
            case DevPropKeys.DEVICE_TYPE_PCIE_LEGACY_ENDPOINT -> Kind.LEGACY_ENDPOINT;
            case DevPropKeys.DEVICE_TYPE_PCIE_TREATED_AS_PCI -> Kind.PCIE_TREATED_AS_PCI;
            case DevPropKeys.DEVICE_TYPE_PCI_X -> Kind.PCI_X;
            case DevPropKeys.DEVICE_TYPE_PCI_CONVENTIONAL, -1 -> Kind.CONVENTIONAL_PCI;
            default -> Kind.BRIDGE;
        };
        if (kind == Kind.LEGACY_ENDPOINT) {
            ev.add(new Evidence(DevPropKeys.PCI_BASE_CLASS.name(), String.valueOf(f.baseClass())));
        }
        return new Type(kind, kind == Kind.BRIDGE, null, ev);
    }

    static Disabled disabled(WindowsPciFacts f) {
        return f.disabled() ? new Disabled(true,
                new Evidence("CM_Get_DevNode_Status", "problem=" + f.problemCode() + " (CM_PROB_DISABLED)"))
                : Disabled.no();
    }

    /**
     * The allocated IRQs decide (message-signalled ones near 2^32, as the script tests); when they were not
     * read, DEVPKEY_PciDevice_InterruptSupport does.
     */
    static Interrupts interrupts(WindowsPciFacts f) {
        List<Evidence> ev = new ArrayList<>();
        if (f.interrupts() != null) {
            ev.add(new Evidence("AllocatedResources.IRQ", f.interrupts().isEmpty() ? "none"
                    : f.interrupts().stream().map(String::valueOf).collect(Collectors.joining(" "))));
        }
        if (f.interruptSupport() != null) {
            ev.add(new Evidence(DevPropKeys.PCI_INTERRUPT_SUPPORT.name(), f.interruptSupport() + " ("
                    + interruptKinds(f.interruptSupport()) + ")"));
        }
        boolean any;
        boolean message;
        if (f.interrupts() != null) {
            any = !f.interrupts().isEmpty();
            message = f.interrupts().stream().anyMatch(n -> n >= MSI_FLOOR && n <= 0xFFFF_FFFFL);
        } else if (f.interruptSupport() != null) {
            any = f.interruptSupport() != 0;
            message = (f.interruptSupport() & (DevPropKeys.INTERRUPT_MSI | DevPropKeys.INTERRUPT_MSIX)) != 0;
        } else {
            return Interrupts.unknown();
        }
        int messages = 0;
        Integer line = null;
        if (f.interrupts() != null) {
            messages = (int) f.interrupts().stream().filter(n -> n >= MSI_FLOOR && n <= 0xFFFF_FFFFL).count();
            line = f.interrupts().stream().filter(n -> n < MSI_FLOOR).map(Long::intValue).findFirst().orElse(null);
        }
        Signal signal = !any ? Signal.NONE : message ? Signal.MESSAGE : Signal.LINE_ONLY;
        return new Interrupts(signal, ev, messages, signal == Signal.LINE_ONLY ? line : null);
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

    /** Allocated memory ranges, as the mapper turned them into BARs (64-bit when above 4 GiB). */
    static Memory memory(PciDevice d, WindowsPciFacts f) {
        if (f.memoryRanges() == null) {
            return null;
        }
        return new Memory(d.bars(), List.of(new Evidence("AllocatedResources.Memory", f.memoryRanges().isEmpty() ? "none"
                : f.memoryRanges().stream().map(MemoryRange::toString).collect(Collectors.joining(" ")))));
    }

    /** Host checks from Hyper-V's own view. */
    public static List<HostCheck> hostChecks(HostProperties h) {
        List<HostCheck> out = new ArrayList<>();
        if (h.hyperVPresent() == null) {
            out.add(new HostCheck(HostChecks.HYPERV_PRESENT, CheckStatus.UNKNOWN,
                    "Not known whether Hyper-V is installed.", List.of(), null));
        } else if (h.hyperVPresent()) {
            out.add(new HostCheck(HostChecks.HYPERV_PRESENT, CheckStatus.PASS, "Hyper-V's management service answers.",
                    List.of(new Evidence("WMI root\\virtualization\\v2", "reachable")), null));
        } else {
            out.add(new HostCheck(HostChecks.HYPERV_PRESENT, CheckStatus.FAIL, "Hyper-V is not installed or not running.",
                    List.of(new Evidence("WMI root\\virtualization\\v2", "not reachable")),
                    "Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V-All"));
        }
        String src = "Msvm_VirtualEthernetSwitchManagementCapabilities.IOVSupport";
        if (h.iovSupport() == null) {
            out.add(new HostCheck(HostChecks.IOV_SUPPORT, CheckStatus.UNKNOWN,
                    "Hyper-V's I/O virtualization support is unknown.", List.of(), null));
        } else if (h.iovSupport()) {
            out.add(new HostCheck(HostChecks.IOV_SUPPORT, CheckStatus.PASS,
                    "The host supports I/O virtualization (IOMMU with interrupt remapping).",
                    List.of(new Evidence(src, "True")), null));
        } else {
            List<Evidence> ev = new ArrayList<>();
            ev.add(new Evidence(src, "False"));
            for (String r : h.iovSupportReasons()) {
                ev.add(new Evidence("IOVSupportReasons", r));
            }
            out.add(new HostCheck(HostChecks.IOV_SUPPORT, CheckStatus.FAIL,
                    "Unfortunately, this machine doesn't support using them in a VM."
                            + (h.iovSupportReasons().isEmpty() ? "" : " " + String.join(" ", h.iovSupportReasons())),
                    ev, "Enable VT-d / AMD-Vi (IOMMU) and SR-IOV in the firmware setup."));
        }
        return out;
    }
}
