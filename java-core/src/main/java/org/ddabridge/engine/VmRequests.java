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
import org.ddabridge.vm.PciBdf;
import org.ddabridge.vm.VmErrorId;
import org.ddabridge.vm.VmException;
import org.ddabridge.vm.VmRef;
import org.ddabridge.vm.VmService;

/**
 * The Linux VM commands: {@code vm-add}, {@code vm-remove}, {@code vm-list} (requests typed here, work done by
 * {@link VmService}), and the VM part of {@code repair}. A VM is {@code vm} ({@code qmp:/path/to.sock} or a libvirt
 * domain name; {@code vmName}, Hyper-V's argument name, is accepted too) on libvirt URI {@code uri}.
 * State-changing requests take the host lock of the state directory, like dismount and mount.
 */
final class VmRequests {
    static final Set<String> ADD_ARGS = Set.of("address", "vm", "vmName", "uri", "whatIf", "stateDir");
    static final Set<String> REMOVE_ARGS = Set.of("address", "vm", "vmName", "uri", "whatIf", "stateDir", "timeoutSeconds");
    static final String DEFAULT_STATE_DIR = "/var/lib/ddabridge";

    /** {@code vm-add}'s arguments. */
    record AddRequest(PciBdf address, VmRef vm, boolean whatIf, Path stateDir) {
        static AddRequest of(Args a) {
            a.allow(ADD_ARGS);
            return new AddRequest(VmRequests.address(a), VmRequests.vm(a), a.flag("whatIf"), VmRequests.stateDir(a));
        }
    }

    /** {@code vm-remove}'s arguments. */
    record RemoveRequest(PciBdf address, VmRef vm, boolean whatIf, Path stateDir, Duration timeout) {
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
            return new RemoveRequest(VmRequests.address(a), VmRequests.vm(a), a.flag("whatIf"), VmRequests.stateDir(a), limit);
        }
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

    Object add(Args args, Progress progress) {
        AddRequest r = AddRequest.of(args);
        progress.report("Adding to VM " + r.vm().display(), -1, r.address().toString());
        if (r.whatIf()) {
            return call(() -> service.add(r.address(), r.vm(), true, r.stateDir()));
        }
        try (HostLock lock = HostLock.acquire(r.stateDir())) {
            return call(() -> service.add(r.address(), r.vm(), false, r.stateDir()));
        }
    }

    Object remove(Args args, Progress progress) {
        RemoveRequest r = RemoveRequest.of(args);
        progress.report("Removing from VM " + r.vm().display(), -1, r.address().toString());
        if (r.whatIf()) {
            return call(() -> service.remove(r.address(), r.vm(), true, r.stateDir(), r.timeout()));
        }
        try (HostLock lock = HostLock.acquire(r.stateDir())) {
            return call(() -> service.remove(r.address(), r.vm(), false, r.stateDir(), r.timeout()));
        }
    }

    Object list(Args args, Progress progress) {
        args.allow(Set.of("vm", "vmName", "uri"));
        String v = vmArg(args);
        VmRef ref = v == null ? null : call(() -> VmRef.parse(v, args.string("uri")));
        return call(() -> service.list(ref, args.string("uri")));
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
        return call(() -> VmRef.parse(v, a.string("uri")));
    }

    static PciBdf address(Args a) {
        List<String> all = a.strings("address");
        if (all.size() != 1) {
            throw new EngineException(ErrorId.InvalidArgument, "Give exactly one PCI address (its whole IOMMU group moves).",
                    "address");
        }
        return call(() -> PciBdf.parse(all.get(0)));
    }

    static Path stateDir(Args a) {
        return stateDirOf(a.string("stateDir"), System.getenv());
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
