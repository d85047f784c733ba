package org.ddabridge.survey;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.model.PciAddress;
import org.ddabridge.model.PciDevice;
/**
 * Picks devices by address ({@code 0000:01:00.0} or {@code 01:00.0}), location path or instance id
 * (both case-insensitive, as on Windows), and optionally by class. Each named identifier must match a
 * device: one that matches nothing is a {@link ErrorId#DeviceNotFound} error naming it.
 */
public final class DeviceSelector {
    private final List<String> addresses;
    private final List<String> locationPaths;
    private final List<String> instanceIds;
    private final String deviceClass;

    public DeviceSelector(List<String> addresses, List<String> locationPaths, List<String> instanceIds,
            String deviceClass) {
        this.addresses = addresses;
        this.locationPaths = locationPaths;
        this.instanceIds = instanceIds;
        this.deviceClass = deviceClass;
    }

    /** From the usual request arguments {@code address}, {@code locationPath}, {@code instanceId}, {@code class}. */
    public static DeviceSelector from(Args args) {
        return new DeviceSelector(args.strings("address"), args.strings("locationPath"), args.strings("instanceId"),
                args.string("class"));
    }

    public boolean namesDevices() {
        return !addresses.isEmpty() || !locationPaths.isEmpty() || !instanceIds.isEmpty();
    }

    /** The selected devices in address order; all devices (by class) when no identifier is given. */
    public List<PciDevice> select(List<PciDevice> devices) {
        List<PciDevice> chosen = new ArrayList<>();
        for (String a : addresses) {
            Optional<PciAddress> parsed = PciAddress.parse(a);
            if (parsed.isEmpty()) {
                throw new EngineException(ErrorId.InvalidArgument,
                        "'" + a + "' is not a PCI address (expected 0000:01:00.0 or 01:00.0).", a);
            }
            String full = parsed.get().toString();
            add(chosen, find(devices, d -> d.address().equals(full), a, "address"));
        }
        for (String lp : locationPaths) {
            add(chosen, find(devices, d -> d.locationPath().equalsIgnoreCase(lp.trim()), lp, "location path"));
        }
        for (String id : instanceIds) {
            add(chosen, find(devices, d -> d.instanceId().equalsIgnoreCase(id.trim()), id, "instance id"));
        }
        List<PciDevice> base = namesDevices() ? chosen : devices;
        List<PciDevice> out = new ArrayList<>();
        for (PciDevice d : base) {
            if (deviceClass == null || matchesClass(d, deviceClass)) {
                out.add(d);
            }
        }
        out.sort((x, y) -> x.pciAddress().compareTo(y.pciAddress()));
        return out;
    }

    /** A class filter matches the class code prefix ({@code 01}, {@code 0108}) or the class name. */
    static boolean matchesClass(PciDevice d, String filter) {
        String f = filter.trim().toLowerCase(Locale.ROOT);
        if (f.matches("(0x)?[0-9a-f]{2,6}")) {
            return d.classCode().startsWith(f.startsWith("0x") ? f.substring(2) : f);
        }
        return d.className() != null && d.className().toLowerCase(Locale.ROOT).contains(f);
    }

    private static void add(List<PciDevice> chosen, PciDevice d) {
        if (!chosen.contains(d)) {
            chosen.add(d);
        }
    }

    private static PciDevice find(List<PciDevice> devices, java.util.function.Predicate<PciDevice> p, String what,
            String kind) {
        for (PciDevice d : devices) {
            if (p.test(d)) {
                return d;
            }
        }
        throw new EngineException(ErrorId.DeviceNotFound, "No PCI function has the " + kind + " '" + what + "'.", what);
    }
}
