package org.ddabridge.assign.windows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.driver.windows.WindowsHostControl;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.platform.spi.PlatformBackend;
import org.ddabridge.survey.DeviceSelector;
import org.ddabridge.survey.MmioPlan;
import org.ddabridge.survey.Survey;
/**
 * The engine's {@code dismount}, {@code mount}, {@code vm-add} and {@code vm-remove} on a Hyper-V host: the
 * same request arguments as on Linux, carried out by {@link WindowsAssignment} (plan, what-if, rollback in
 * reverse order). Each device is one run; a failed run is rolled back and reported with its journal.
 */
public final class WindowsActions {
    private static final Set<String> DEVICE_ARGS = Set.of("address", "locationPath", "instanceId", "force", "whatIf",
            "root", "transient");
    private final WindowsHostControl host;
    private final PlatformBackend backend;

    public WindowsActions(WindowsHostControl host, PlatformBackend backend) {
        this.host = host;
        this.backend = backend;
    }

    public Object dismount(Args args, Progress progress) {
        args.allow(DEVICE_ARGS);
        refuseTransient(args);
        return run(args, null, progress, "Dismounting", (a, r, w) -> a.dismount(r, w));
    }

    public Object mount(Args args, Progress progress) {
        args.allow(DEVICE_ARGS);
        refuseTransient(args);
        return run(args, null, progress, "Mounting", (a, r, w) -> a.mount(r, w));
    }

    /** Disable, dismount, prepare the VM (stop action, cache types, MMIO) and add the device to it. */
    public Object vmAdd(Args args, Progress progress) {
        args.allow(Set.of("address", "locationPath", "instanceId", "force", "whatIf", "root", "vmName"));
        return run(args, args.required("vmName"), progress, "Adding to VM", (a, r, w) -> a.assign(r, w));
    }

    /** Remove the device from the VM, mount it back and enable it. */
    public Object vmRemove(Args args, Progress progress) {
        args.allow(Set.of("address", "locationPath", "instanceId", "whatIf", "root", "vmName"));
        return run(args, args.required("vmName"), progress, "Removing from VM", (a, r, w) -> a.unassign(r, w));
    }

    /** Hyper-V keeps a dismounted device dismounted across reboots; there is no transient variant. */
    private static void refuseTransient(Args args) {
        if (args.flag("transient")) {
            throw new EngineException(ErrorId.NotSupported, "Hyper-V's dismount and mount always persist across "
                    + "reboots: 'transient' is a Linux option.", "transient");
        }
    }

    @FunctionalInterface
    private interface Operation {
        WindowsAssignment.Outcome apply(WindowsAssignment a, WindowsAssignment.Request r, boolean whatIf);
    }

    private Object run(Args args, String vmName, Progress progress, String activity, Operation op) {
        DeviceSelector selector = DeviceSelector.from(args);
        if (!selector.namesDevices()) {
            throw new EngineException(ErrorId.InvalidArgument, "Name at least one device (address, locationPath or "
                    + "instanceId).", null);
        }
        boolean whatIf = args.flag("whatIf");
        HostSnapshot snap = backend.snapshot();
        List<PciDevice> devices = selector.select(snap.devices());
        long low = 0;
        long high = 0;
        if (vmName != null) {
            // The devices go to one VM together: its gaps must hold all of them (the survey's MMIO plan).
            MmioPlan mmio = MmioPlan.of(Survey.ofSnapshot(backend, snap, selector::select));
            high = mmio.hyperV().highMemoryMappedIoSpace();
            // The plan rounds up to a power of two; Hyper-V's low gap ends at 3584 MB, so above that the raw
            // need decides (WindowsAssignment refuses what cannot fit).
            low = Math.min(mmio.hyperV().lowMemoryMappedIoSpace(),
                    Math.max(WindowsAssignment.LOW_MMIO_MAX, mmio.belowFourGiB()));
        }
        WindowsAssignment assignment = new WindowsAssignment(host);
        List<Map<String, Object>> results = new ArrayList<>();
        int i = 0;
        for (PciDevice d : devices) {
            progress.report(activity, i++ * 100 / devices.size(), d.locationPath());
            WindowsAssignment.Request r = new WindowsAssignment.Request(vmName, d.instanceId(), d.locationPath(),
                    d.classCode().startsWith("03"), low, high, args.flag("force"));
            WindowsAssignment.Outcome o;
            try {
                o = op.apply(assignment, r, whatIf);
            } catch (WindowsHostControl.ControlException e) {
                ErrorId id = switch (e.code()) {
                    case "VmMustBeOff", "MmioOutOfRange" -> ErrorId.Refused;
                    default -> ErrorId.DeviceNotFound;
                };
                throw new EngineException(id, e.getMessage(), vmName);
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("address", d.address());
            one.put("instanceId", d.instanceId());
            one.put("locationPath", d.locationPath());
            one.put("status", o.status());
            one.put("plan", o.plan());
            one.put("journal", o.journal());
            if (o.error() != null) {
                throw new EngineException(ErrorId.IoFailure, d.locationPath() + ": " + o.error() + " ("
                        + o.status() + ")", d.locationPath(), one);
            }
            results.add(one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("whatIf", whatIf);
        out.put("devices", results);
        return out;
    }
}
