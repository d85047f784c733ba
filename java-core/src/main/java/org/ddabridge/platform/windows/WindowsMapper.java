package org.ddabridge.platform.windows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ddabridge.driver.windows.DevPropKeys;
import org.ddabridge.driver.windows.DeviceProperties;
import org.ddabridge.model.Bar;
import org.ddabridge.model.HostFacts;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciAddress;
import org.ddabridge.model.PciDevice;
import org.ddabridge.model.windows.HostProperties;
import org.ddabridge.model.windows.WindowsHost;
import org.ddabridge.model.windows.MemoryRange;
import org.ddabridge.model.windows.WindowsPciFacts;
import org.ddabridge.util.Hex;
/**
 * Property bags to the engine's model (pure Java; unit-tested on Linux). One {@link PciDevice} and one
 * {@link WindowsPciFacts} per PCI device node that has an address.
 *
 * <ul>
 *   <li>address: {@code DEVPKEY_Device_BusNumber} + {@code DEVPKEY_Device_Address} (PCI: device in the high
 *       word, function in the low word), else the {@code PCI bus b, device d, function f} text of
 *       {@code DEVPKEY_Device_LocationInfo}. Windows does not report the PCI segment here: domain is 0.</li>
 *   <li>ids: parsed from the hardware id {@code PCI\VEN_vvvv&DEV_dddd&SUBSYS_ssssssss&REV_rr} (first
 *       {@code DEVPKEY_Device_HardwareIds} entry, else the instance id); the SUBSYS field is subsystem id
 *       then subsystem vendor id.</li>
 *   <li>class code from BaseClass/SubClass/ProgIf; class name = the setup class ({@code Display});
 *       driver = the service; device name = friendly name or description.</li>
 *   <li>parent: {@code DEVPKEY_Device_Parent} resolved to the parent's address when the parent is a PCI node
 *       (bridges); root-bus devices (parent {@code ACPI\PNP0A08\…}) get none.</li>
 *   <li>BARs: Windows gives allocated ranges, not BAR numbers; each range becomes a memory {@link Bar}
 *       numbered in order, 64-bit when it lies above 4 GiB.</li>
 * </ul>
 */
public final class WindowsMapper {
    private static final Pattern HWID = Pattern.compile(
            "PCI\\\\VEN_([0-9A-Fa-f]{4})&DEV_([0-9A-Fa-f]{4})(?:&SUBSYS_([0-9A-Fa-f]{8}))?(?:&REV_([0-9A-Fa-f]{2}))?.*");
    private static final Pattern LOCATION_INFO =
            Pattern.compile(".*?bus (\\d+), device (\\d+), function (\\d+).*", Pattern.CASE_INSENSITIVE);


    /** Parsed hardware id parts (lower-case hex; "0000"/"00" when absent). */
    public record HardwareId(String vendorId, String deviceId, String subsystemVendorId, String subsystemId,
            String revision) {
    }

    private WindowsMapper() {
    }

    /** Maps every bag; nodes without a usable address are listed in {@code skipped}. */
    public static WindowsHost map(List<DeviceProperties> bags, HostProperties host) {
        Map<String, String> addressById = new HashMap<>();
        Map<String, DeviceProperties> byAddress = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (DeviceProperties d : bags) {
            Optional<PciAddress> a = address(d);
            if (a.isEmpty() || byAddress.containsKey(a.get().toString())) {
                skipped.add(d.instanceId());
                continue;
            }
            addressById.put(d.instanceId().toUpperCase(Locale.ROOT), a.get().toString());
            byAddress.put(a.get().toString(), d);
        }
        List<PciDevice> devices = new ArrayList<>();
        Map<String, WindowsPciFacts> facts = new LinkedHashMap<>();
        for (Map.Entry<String, DeviceProperties> e : byAddress.entrySet()) {
            DeviceProperties d = e.getValue();
            devices.add(toDevice(e.getKey(), d, addressById, byAddress));
            facts.put(e.getKey(), toFacts(e.getKey(), d));
        }
        devices.sort(Comparator.comparing(PciDevice::pciAddress));
        HostFacts hf = new HostFacts(host.hostname(), "windows", host.osVersion(), null, List.of(), 0, List.of(),
                false, host.source(), null, null);
        return new WindowsHost(new HostSnapshot(hf, List.copyOf(devices), Map.of()), facts, host, List.copyOf(skipped));
    }

    /** The function's address from BusNumber/Address, else LocationInfo. */
    static Optional<PciAddress> address(DeviceProperties d) {
        Integer bus = d.integer(DevPropKeys.BUS_NUMBER);
        Integer addr = d.integer(DevPropKeys.ADDRESS);
        if (bus != null && addr != null) {
            int dev = (addr >>> 16) & 0xffff;
            int fn = addr & 0xffff;
            if (bus >= 0 && bus <= 0xff && dev <= 0x1f && fn <= 7) {
                return Optional.of(new PciAddress(0, bus, dev, fn));
            }
        }
        String info = d.string(DevPropKeys.LOCATION_INFO);
        if (info != null) {
            Matcher m = LOCATION_INFO.matcher(info);
            if (m.matches()) {
                int b = Integer.parseInt(m.group(1));
                int dv = Integer.parseInt(m.group(2));
                int f = Integer.parseInt(m.group(3));
                if (b <= 0xff && dv <= 0x1f && f <= 7) {
                    return Optional.of(new PciAddress(0, b, dv, f));
                }
            }
        }
        return Optional.empty();
    }

    /** Parses {@code PCI\VEN_…&DEV_…&SUBSYS_…&REV_…}; empty for anything else. */
    public static Optional<HardwareId> parseHardwareId(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = HWID.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        String subsys = m.group(3) == null ? "00000000" : m.group(3);
        return Optional.of(new HardwareId(lower(m.group(1)), lower(m.group(2)), lower(subsys.substring(4)),
                lower(subsys.substring(0, 4)), m.group(4) == null ? "00" : lower(m.group(4))));
    }

    static PciDevice toDevice(String address, DeviceProperties d, Map<String, String> addressById,
            Map<String, DeviceProperties> byAddress) {
        List<String> hwids = d.strings(DevPropKeys.HARDWARE_IDS);
        HardwareId id = parseHardwareId(hwids.isEmpty() ? d.instanceId() : hwids.get(0))
                .or(() -> parseHardwareId(d.instanceId()))
                .orElse(new HardwareId("ffff", "ffff", "0000", "0000", "00"));
        List<String> upstream = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        DeviceProperties cur = d;
        while (true) {
            String parentId = cur.string(DevPropKeys.PARENT);
            String parentAddr = parentId == null ? null : addressById.get(parentId.toUpperCase(Locale.ROOT));
            if (parentAddr == null || !seen.add(parentAddr) || parentAddr.equals(address)) {
                break;
            }
            upstream.add(parentAddr);
            cur = byAddress.get(parentAddr);
        }
        String service = d.string(DevPropKeys.SERVICE);
        String name = d.string(DevPropKeys.FRIENDLY_NAME);
        if (name == null) {
            name = d.string(DevPropKeys.DEVICE_DESC);
        }
        return PciDevice.builder(address)
                .locationPath(locationPath(d))
                .instanceId(d.instanceId())
                .ids(id.vendorId(), id.deviceId(), id.subsystemVendorId(), id.subsystemId(), id.revision(), classCode(d))
                .names(d.string(DevPropKeys.CLASS), null, name)
                .driver(service == null || service.isEmpty() ? null : service)
                .bars(bars(d.memory()))
                .upstream(upstream)
                .build();
    }

    /** The first location path that starts with {@code PCIROOT} (the form Hyper-V takes), else the first. */
    static String locationPath(DeviceProperties d) {
        List<String> paths = d.strings(DevPropKeys.LOCATION_PATHS);
        for (String p : paths) {
            if (p.toUpperCase(Locale.ROOT).startsWith("PCIROOT(")) {
                return p;
            }
        }
        return paths.isEmpty() ? null : paths.get(0);
    }

    static String classCode(DeviceProperties d) {
        Integer base = d.integer(DevPropKeys.PCI_BASE_CLASS);
        Integer sub = d.integer(DevPropKeys.PCI_SUB_CLASS);
        Integer prog = d.integer(DevPropKeys.PCI_PROG_IF);
        return Hex.pad(base == null ? 0 : base & 0xff, 2) + Hex.pad(sub == null ? 0 : sub & 0xff, 2)
                + Hex.pad(prog == null ? 0 : prog & 0xff, 2);
    }

    static List<Bar> bars(List<MemoryRange> memory) {
        List<Bar> out = new ArrayList<>();
        if (memory != null) {
            int i = 0;
            for (MemoryRange r : memory) {
                out.add(new Bar(i++, r.start(), r.size(), Bar.MEMORY, r.aboveFourGiB(), false));
            }
        }
        return List.copyOf(out);
    }

    static WindowsPciFacts toFacts(String address, DeviceProperties d) {
        String name = d.string(DevPropKeys.FRIENDLY_NAME);
        if (name == null) {
            name = d.string(DevPropKeys.DEVICE_DESC);
        }
        Integer problem = d.problem();
        return new WindowsPciFacts(address, d.instanceId(), locationPath(d), name,
                d.integer(DevPropKeys.PCI_DEVICE_TYPE), d.integer(DevPropKeys.PCI_BASE_CLASS),
                d.integer(DevPropKeys.PCI_INTERRUPT_SUPPORT), d.integer(DevPropKeys.PCI_INTERRUPT_MESSAGE_MAXIMUM),
                d.integer(DevPropKeys.PCI_ACS_COMPATIBLE_UP_HIERARCHY), d.integer(DevPropKeys.PCI_ACS_SUPPORT),
                d.bool(DevPropKeys.PCI_REQUIRES_RESERVED_MEMORY_REGION), d.bool(DevPropKeys.PCI_ARI_SUPPORT),
                d.bool(DevPropKeys.PCI_ATS_SUPPORT), d.integer(DevPropKeys.PCI_CURRENT_LINK_SPEED),
                d.integer(DevPropKeys.PCI_CURRENT_LINK_WIDTH), d.integer(DevPropKeys.PCI_MAX_LINK_SPEED),
                d.integer(DevPropKeys.PCI_MAX_LINK_WIDTH), problem,
                problem != null && problem == DevPropKeys.CM_PROB_DISABLED, d.memory(), d.interrupts());
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
