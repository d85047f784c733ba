package org.ddabridge.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.assign.linux.CrashHook;
import org.ddabridge.assign.linux.HostLock;
import org.ddabridge.vm.VmErrorId;
import org.ddabridge.vm.VmException;
import org.ddabridge.vm.VmRef;
import org.ddabridge.vm.VmService;
import org.ddabridge.vm.VmSettings;

/**
 * The Linux VM commands: {@code vm-add}, {@code vm-remove}, {@code vm-list}, {@code vm-set} (requests typed here, work done by
 * {@link VmService}), and the VM part of {@code repair}. A VM is {@code vm} ({@code qmp:/path/to.sock} or a libvirt
 * domain name; {@code vmName}, Hyper-V's argument name, is accepted too) on libvirt URI {@code uri} (else
 * {@code DDABRIDGE_LIBVIRT_URI}, else {@code qemu:///system}); the device is named as for dismount ({@link VmDevices}).
 * State-changing requests take the host lock of the state directory, like dismount and mount.
 */
final class VmRequests {
    static final Set<String> ADD_ARGS = Set.of("address", "locationPath", "instanceId", "any", "vm", "vmName", "uri", "whatIf",
            "stateDir", "root");
    static final Set<String> REMOVE_ARGS = Set.of("address", "locationPath", "instanceId", "vm", "vmName", "uri", "whatIf",
            "stateDir", "timeoutSeconds", "root");
    static final Set<String> SET_ARGS = Set.of("vm", "vmName", "uri", "whatIf", "lowMemoryMappedIoSpace",
            "highMemoryMappedIoSpace", "automaticStopAction", "guestControlledCacheTypes");
    static final String DEFAULT_STATE_DIR = "/var/lib/ddabridge";
    /** The libvirt URI when a request names none (else qemu:///system). */
    static final String URI_ENV = "DDABRIDGE_LIBVIRT_URI";

    /** {@code vm-add}'s arguments: the device (or any pooled one), the VM, and where the host is. */
    record AddRequest(VmDevices.Identity device, VmRef vm, boolean whatIf, Path stateDir, String root) {
        static AddRequest of(Args a) {
            a.allow(ADD_ARGS);
            return new AddRequest(VmDevices.Identity.of(a, true), VmRequests.vm(a), a.flag("whatIf"), VmRequests.stateDir(a),
                    a.string("root"));
        }
    }

    /** {@code vm-remove}'s arguments. */
    record RemoveRequest(VmDevices.Identity device, VmRef vm, boolean whatIf, Path stateDir, Duration timeout, String root) {
        static RemoveRequest of(Args a) {
            a.allow(REMOVE_ARGS);
            String t = a.string("timeoutSeconds");
            Duration limit = VmService.REMOVE_WAIT;
            if (t != null) {
                try {
                    limit = Duration.ofSeconds(Long.parseLong(t.trim()));
                } catch (NumberFormatException e) {
                    throw new EngineException(ErrorId.InvalidArgument, "timeoutSeconds must be a whole number", "timeoutSeconds");
                }
            }
            return new RemoveRequest(VmDevices.Identity.of(a, false), VmRequests.vm(a), a.flag("whatIf"),
                    VmRequests.stateDir(a), limit, a.string("root"));
        }
    }

    /** {@code vm-set}'s arguments: Microsoft's four DDA settings (sizes in bytes or with MB/GB as Hyper-V writes them). */
    record SetRequest(VmRef vm, VmSettings settings, boolean whatIf) {
        static SetRequest of(Args a) {
            a.allow(SET_ARGS);
            String stop = a.string("automaticStopAction");
            String cache = a.string("guestControlledCacheTypes");
            Boolean gcct = null;
            if (cache != null) {
                if (!cache.equalsIgnoreCase("true") && !cache.equalsIgnoreCase("false")) {
                    throw new EngineException(ErrorId.InvalidArgument, "guestControlledCacheTypes must be true or false.",
                            "guestControlledCacheTypes");
                }
                gcct = Boolean.parseBoolean(cache.toLowerCase(java.util.Locale.ROOT));
            }
            VmSettings s = call(() -> new VmSettings(size(a, "lowMemoryMappedIoSpace"), size(a, "highMemoryMappedIoSpace"),
                    stop == null ? null : VmSettings.StopAction.parse(stop), null));
            s = new VmSettings(s.lowMemoryMappedIoSpace(), s.highMemoryMappedIoSpace(), s.automaticStopAction(), gcct);
            if (s.isEmpty()) {
                throw new EngineException(ErrorId.InvalidArgument, "Nothing to set: give lowMemoryMappedIoSpace,"
                        + " highMemoryMappedIoSpace, automaticStopAction or guestControlledCacheTypes.", "vm-set");
            }
            return new SetRequest(VmRequests.vm(a), s, a.flag("whatIf"));
        }

        /** Bytes, or a number with KB/MB/GB/TB (binary multiples, as PowerShell's literals and Hyper-V's docs use them). */
        static Long size(Args a, String key) {
            String v = a.string(key);
            if (v == null) {
                return null;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d{1,15})\\s*(b|kb|mb|gb|tb)?\\s*").matcher(v);
            if (!m.matches()) {
                throw new EngineException(ErrorId.InvalidArgument, key + " must be a size in bytes or with MB/GB (33280MB, 3GB), got '"
                        + v + "'.", key);
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(java.util.Locale.ROOT);
            int shift = switch (unit) {
                case "kb" -> 10;
                case "mb" -> 20;
                case "gb" -> 30;
                case "tb" -> 40;
                default -> 0;
            };
            if (n == 0 || Long.numberOfLeadingZeros(n) <= shift) {
                throw new EngineException(ErrorId.InvalidArgument, key + " must be above zero and below 8 EiB, got '" + v + "'.", key);
            }
            return n << shift;
        }
    }

    /** One VM of vm-list, its host functions with their identities. */
    record VmListing(String vm, String kind, String state, String uuid, Long pciHole64Kib, List<VmDevices.Assigned> devices,
            List<Integer> vfioGroups, Integer pid) {
    }

    private final VmService service;
    private final Map<String, String> env;

    VmRequests(VmService service, Map<String, String> env) {
        this.service = service;
        this.env = env;
    }

    static VmRequests standard() {
        Map<String, String> env = System.getenv();
        CrashHook hook = CrashHook.fromEnvironment(env);
        return new VmRequests(VmService.live((step, applied) ->
                hook.at(step, applied ? CrashHook.Phase.APPLIED : CrashHook.Phase.JOURNALED)), env);
    }

    /** The service on the request's host: this machine, or the tree {@code root} (with its own proc). */
    private VmService on(VmDevices host, String root) {
        return root == null ? service : service.withRoot(host.rootPath(), host.procRoot());
    }

    Object add(Args args, Progress progress) {
        AddRequest r = AddRequest.of(args);
        VmDevices host = VmDevices.read(r.root());
        VmDevices.Resolved d = host.resolve(r.device());
        VmService svc = on(host, r.root());
        progress.report("Adding to VM " + r.vm().display(), -1, d.address().toString());
        if (r.whatIf()) {
            return call(() -> svc.add(d.address(), r.vm(), true, r.stateDir(), d.hole64Kib()));
        }
        try (HostLock lock = HostLock.acquire(r.stateDir())) {
            return call(() -> svc.add(d.address(), r.vm(), false, r.stateDir(), d.hole64Kib()));
        }
    }

    Object remove(Args args, Progress progress) {
        RemoveRequest r = RemoveRequest.of(args);
        VmDevices host = VmDevices.read(r.root());
        VmDevices.Resolved d = host.resolve(r.device());
        VmService svc = on(host, r.root());
        progress.report("Removing from VM " + r.vm().display(), -1, d.address().toString());
        if (r.whatIf()) {
            return call(() -> svc.remove(d.address(), r.vm(), true, r.stateDir(), r.timeout()));
        }
        try (HostLock lock = HostLock.acquire(r.stateDir())) {
            return call(() -> svc.remove(d.address(), r.vm(), false, r.stateDir(), r.timeout()));
        }
    }

    Object set(Args args, Progress progress) {
        SetRequest r = SetRequest.of(args);
        progress.report("Setting VM " + r.vm().display(), -1, r.vm().display());
        return call(() -> service.set(r.vm(), r.settings(), r.whatIf()));
    }

    Object list(Args args, Progress progress) {
        args.allow(Set.of("vm", "vmName", "uri", "root"));
        String v = vmArg(args);
        String uri = uriOf(args);
        VmRef ref = v == null ? null : call(() -> VmRef.parse(v, uri));
        String root = args.string("root");
        VmDevices host = VmDevices.read(root);
        List<VmService.VmView> views = call(() -> on(host, root).list(ref, uri));
        return views.stream().map(w -> new VmListing(w.vm(), w.kind(), w.state(), w.uuid(), w.pciHole64Kib(),
                host.identities(w.devices()), w.vfioGroups(), w.pid())).toList();
    }

    /** {@code repair}: the VM journal first (a half-made vm-add comes back out), then dismount/mount's. */
    Engine.Command repair(Engine.Command assignRepair) {
        return (args, progress) -> {
            String sd = args.string("stateDir");
            Path dir = stateDirOf(sd, env);
            VmService.Repaired vm = args.flag("whatIf") ? null : call(() -> {
                try (HostLock lock = HostLock.acquire(dir)) {
                    return service.repair(dir);
                }
            });
            Object rest = assignRepair.run(args, progress);
            if (vm == null) {
                return rest;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("vm", vm);
            out.put("assignment", rest);
            return out;
        };
    }

    private static String vmArg(Args a) {
        String v = a.string("vm");
        return v != null ? v : a.string("vmName");
    }

    static VmRef vm(Args a) {
        String v = vmArg(a);
        if (v == null || v.isBlank()) {
            throw new EngineException(ErrorId.InvalidArgument, "Name the VM: vm (qmp:/path/to.sock or a libvirt domain).", "vm");
        }
        String uri = uriOf(a);
        return call(() -> VmRef.parse(v, uri));
    }

    /** The request's {@code uri}, else {@code DDABRIDGE_LIBVIRT_URI}, else null (qemu:///system). */
    static String uriOf(Args a) {
        String u = a.string("uri");
        if (u != null && !u.isBlank()) {
            return u;
        }
        String e = System.getenv(URI_ENV);
        return e == null || e.isBlank() ? null : e;
    }

    /** {@code stateDir}, else {@code DDABRIDGE_STATE_DIR}, else {@code <root>/var/lib/ddabridge} for a tree, else the host's. */
    static Path stateDir(Args a) {
        String root = a.string("root");
        String sd = a.string("stateDir");
        String env = System.getenv("DDABRIDGE_STATE_DIR");
        if (root != null && (sd == null || sd.isBlank()) && (env == null || env.isBlank())) {
            // a fake tree keeps its journal inside, as dismount and mount do (never the host's /var/lib)
            return Path.of(root).toAbsolutePath().normalize().resolve("var/lib/ddabridge");
        }
        return stateDirOf(sd, System.getenv());
    }

    static Path stateDirOf(String sd, Map<String, String> env) {
        String e = env.get("DDABRIDGE_STATE_DIR");
        String d = sd != null && !sd.isBlank() ? sd : e != null && !e.isBlank() ? e : DEFAULT_STATE_DIR;
        return Path.of(d).toAbsolutePath().normalize();
    }

    /** Runs {@code body}, turning {@link VmException}s into engine errors with stable ids. */
    static <T> T call(java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (VmException e) {
            throw new EngineException(errorId(e.id()), e.getMessage(), e.detail());
        } catch (java.io.UncheckedIOException e) {
            throw new EngineException(ErrorId.IoFailure, e.getMessage(), null);
        }
    }

    static ErrorId errorId(VmErrorId id) {
        return switch (id) {
            case InvalidVmReference -> ErrorId.InvalidArgument;
            case QmpConnectFailed, DomainNotFound -> ErrorId.VmNotFound;
            case QmpProtocol, QmpCommandFailed, QmpTimeout, LibvirtFailed, XmlInvalid -> ErrorId.VmFailed;
            case NoFreeHotplugSlot -> ErrorId.NoFreeHotplugSlot;
            case InvalidSetting -> ErrorId.InvalidArgument;
            case SettingNotApplicable, HoleTooSmall -> ErrorId.Refused;
            case AlreadyAttached -> ErrorId.AlreadyAttached;
            case NotAttached -> ErrorId.DeviceNotFound;
            case LibvirtUnavailable -> ErrorId.LibvirtUnavailable;
            case NotDismounted -> ErrorId.NotDismounted;
            case DeviceNotFound -> ErrorId.DeviceNotFound;
            case RepairNeeded -> ErrorId.Refused;
            case IoFailure -> ErrorId.IoFailure;
        };
    }
}
