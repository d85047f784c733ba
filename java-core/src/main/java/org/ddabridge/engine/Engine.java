package org.ddabridge.engine;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.google.gson.JsonObject;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.assign.linux.AssignService;
import org.ddabridge.assign.windows.WindowsActions;
import org.ddabridge.capture.HostCapture;
import org.ddabridge.driver.windows.DevPropKeys;
import org.ddabridge.driver.windows.DevPropType;
import org.ddabridge.check.Target;
import org.ddabridge.api.Envelope;
import org.ddabridge.image.HostImages;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.platform.Platforms;
import org.ddabridge.platform.spi.PlatformBackend;
import org.ddabridge.survey.DeviceSelector;
import org.ddabridge.survey.PnpDevice;
import org.ddabridge.survey.Survey;
import org.ddabridge.util.HostRoot;
/**
 * Executes requests: {@code command} + {@code args} in, a result object out (or an {@link EngineException}).
 * The CLI's one-shot commands and {@code serve} both go through here, so they cannot disagree.
 */
public final class Engine {
    /** A request handler. */
    @FunctionalInterface
    public interface Command {
        Object run(Args args, Progress progress);
    }

    private final Map<String, Command> commands = new TreeMap<>();

    public Engine() {
        this(AssignService.standard());
    }

    /** An engine whose assignment commands use {@code assign} (tests inject a simulated driver core). */
    public Engine(AssignService assign) {
        register("devices", this::devices);
        register("survey", this::survey);
        register("capture", this::capture);
        register("pnp", this::pnp);
        register("devpkeys", this::devpkeys);
        register("vmhost", this::vmhost);
        register("version", (args, p) -> version());
        register("dismount", assign::dismount);
        register("mount", assign::mount);
        register("pool", assign::pool);
        register("repair", assign::repair);
        register("vfio-status", org.ddabridge.engine.VfioStatusRequest::run);
        register("disable", assign::disable);
        register("enable", assign::enable);
        register("groups", GroupsCommand::run);
        register("mmio", MmioCommand::run);
        register("decode", org.ddabridge.engine.DecodeRequest::run);
        register("report", ReportRequest::run);
        // Linux: QMP (qmp:/path) or libvirt; a Hyper-V host replaces vm-add/vm-remove below.
        VmRequests vm = VmRequests.standard();
        register("vm-add", vm::add);
        register("vm-remove", vm::remove);
        register("vm-list", vm::list);
        register("vm-set", vm::set);
        register("repair", vm.repair(assign::repair));
        Platforms.hyperVControl().ifPresent(c -> useWindowsActions(new WindowsActions(c, Platforms.forThisMachine())));
    }

    /** On a Hyper-V host (or in tests with a simulated one): dismount/mount/vm-add/vm-remove go to Hyper-V. */
    public Engine useWindowsActions(WindowsActions windows) {
        register("dismount", windows::dismount);
        register("mount", windows::mount);
        register("vm-add", windows::vmAdd);
        register("vm-remove", windows::vmRemove);
        return this;
    }

    /** Adds a command (later features register theirs here). */
    public void register(String name, Command command) {
        commands.put(name, command);
    }

    public Set<String> commandNames() {
        return commands.keySet();
    }

    /** Runs one request. Unexpected exceptions become {@link ErrorId#Internal} errors. */
    public Object execute(String command, JsonObject args, Progress progress) {
        Command c = commands.get(command);
        if (c == null) {
            throw new EngineException(ErrorId.UnknownCommand,
                    "Unknown command '" + command + "'. Commands: " + commands.keySet() + ".", command);
        }
        try {
            return c.run(new Args(command, args), progress);
        } catch (EngineException e) {
            throw e;
        } catch (InvalidPathException e) {
            // A NUL or another character no path may hold, in any path argument.
            throw new EngineException(ErrorId.InvalidArgument, "Not a valid path: " + e.getReason() + ".",
                    clip(e.getInput().replace("\0", "\\0")));
        } catch (RuntimeException e) {
            throw new EngineException(ErrorId.Internal, "Internal error in '" + command + "': " + e, command);
        }
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    /** The platform for a request: the host image named by {@code root}, else this machine. */
    public static PlatformBackend backend(Args args) {
        String root = args.string("root");
        return root == null ? Platforms.forThisMachine() : Platforms.forRoot(root);
    }

    /** The host root for a request (images and Linux hosts). */
    public static HostRoot hostRoot(Args args) {
        String root = args.string("root");
        return root == null ? HostRoot.live() : HostImages.open(root);
    }

    private Object devices(Args args, Progress progress) {
        args.allow(Set.of("root", "address", "locationPath", "instanceId", "class"));
        DeviceSelector selector = DeviceSelector.from(args);
        HostSnapshot snap = backend(args).snapshot();
        return selector.select(snap.devices());
    }

    private Object survey(Args args, Progress progress) {
        args.allow(Set.of("root", "address", "locationPath", "instanceId", "class", "dump", "target"));
        DeviceSelector selector = DeviceSelector.from(args);
        Target target = Target.parse(args.string("target"));
        String dump = args.string("dump");
        if (dump != null) {
            if (args.string("root") != null) {
                throw new EngineException(ErrorId.InvalidArgument, "Give either 'dump' or 'root', not both.", "dump");
            }
            return Survey.ofHost(Platforms.forDump(dump), selector::select, target);
        }
        return Survey.ofHost(backend(args), selector::select, target);
    }

    /** Functions in Windows' Get-PnpDevice shape (the module's Hyper-V compatibility layer). */
    private Object pnp(Args args, Progress progress) {
        args.allow(Set.of("root", "address", "locationPath", "instanceId", "class"));
        DeviceSelector selector = DeviceSelector.from(args);
        // The survey supplies the PCI properties Microsoft's survey script reads (device type, ACS, …); every
        // function is mapped (Windows numbers interrupts over the whole machine), then the selection applies.
        var reports = Survey.ofHost(backend(args), list -> list).reports();
        List<PnpDevice> all = PnpDevice.all(reports);
        Set<String> keep = new java.util.HashSet<>();
        selector.select(reports.stream().map(r -> r.device()).toList()).forEach(d -> keep.add(d.address()));
        return all.stream().filter(p -> keep.contains(p.address())).toList();
    }

    /**
     * The device property keys the PnP view knows ({@code DevPropKeys.KNOWN}): name, format id, property id and
     * Windows PowerShell's type name, so {@code Get-PnpDeviceProperty} resolves {@code "{fmtid} pid"} keys and
     * types its data from the engine's one table.
     */
    private Object devpkeys(Args args, Progress progress) {
        args.allow(Set.of());
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (DevPropKeys.Key k : DevPropKeys.KNOWN) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keyName", k.name());
            m.put("fmtid", k.fmtid());
            m.put("pid", k.pid());
            m.put("type", DevPropType.psName(k.type()));
            out.add(m);
        }
        return out;
    }

    /**
     * The host in the shape of Hyper-V's {@code Get-VMHost} (the module's Hyper-V compatibility layer): name,
     * logical processors, memory, and {@code IovSupport} / {@code IovSupportReasons} from the host checks.
     */
    private Object vmhost(Args args, Progress progress) {
        args.allow(Set.of("root"));
        var report = Survey.ofHost(backend(args), list -> List.of());
        org.ddabridge.model.HostFacts h = report.hostFacts();
        org.ddabridge.check.IovSupport iov = org.ddabridge.check.IovSupport.of(report.checks(), h.platform());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("computerName", h.hostname());
        m.put("platform", h.platform());
        m.put("logicalProcessorCount", h.logicalProcessors());
        m.put("memoryCapacity", h.memoryBytes());
        m.put("iovSupport", iov.supported());
        m.put("iovSupportReasons", iov.reasons());
        m.put("failedChecks", iov.failing().stream().map(c -> c.id()).toList());
        return m;
    }

    private Object capture(Args args, Progress progress) {
        args.allow(Set.of("root", "output"));
        String output = args.required("output");
        HostRoot root = hostRoot(args);
        return HostCapture.capture(root, Path.of(output), progress);
    }

    static Map<String, Object> version() {
        Map<String, Object> v = new LinkedHashMap<>();
        Package p = Engine.class.getPackage();
        v.put("engine", p.getImplementationVersion() == null ? "dev" : p.getImplementationVersion());
        v.put("schemaVersion", Envelope.SCHEMA_VERSION);
        v.put("java", System.getProperty("java.version"));
        v.put("os", System.getProperty("os.name"));
        return v;
    }
}
