package org.ddabridge.assign.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.image.HostImages;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciDevice;
import org.ddabridge.platform.Platforms;
import org.ddabridge.platform.spi.PlatformBackend;
import org.ddabridge.survey.DeviceSelector;
import org.ddabridge.util.HostRoot;

/**
 * Root, state directory and driver core of one assignment request, and the host read through the one
 * platform choice ({@link Platforms}).
 */
record RequestContext(HostRoot root, Path stateDir, DriverCore core) {
    static final String DEFAULT_STATE_DIR = "var/lib/ddabridge";

    /**
     * The context of {@code args}: {@code root} (a directory tree; archives are read-only images) or this
     * machine, {@code stateDir} or {@code DDABRIDGE_STATE_DIR} or {@code <root>/var/lib/ddabridge}.
     */
    static RequestContext of(Args args, Map<String, String> env, java.util.function.Function<HostRoot, DriverCore> cores) {
        String rootArg = args.string("root");
        HostRoot root;
        if (rootArg == null) {
            root = Platforms.liveLinuxRoot();
        } else {
            if (Files.exists(Path.of(rootArg)) && !Files.isDirectory(Path.of(rootArg))) {
                throw new EngineException(ErrorId.InvalidArgument, "'" + rootArg
                        + "' is an archive: dismount, mount and repair need a directory tree as --root.", rootArg);
            }
            root = HostImages.open(rootArg);
        }
        String sd = args.string("stateDir");
        if (sd == null || sd.isBlank()) {
            sd = env.get("DDABRIDGE_STATE_DIR");
        }
        Path stateDir = sd != null && !sd.isBlank() ? Path.of(sd)
                : root.isLive() ? Path.of("/" + DEFAULT_STATE_DIR) : root.resolve(DEFAULT_STATE_DIR);
        return new RequestContext(root, stateDir.toAbsolutePath().normalize(), cores.apply(root));
    }

    PlatformBackend backend() {
        return Platforms.forImage(root);
    }

    HostSnapshot snapshot() {
        return backend().snapshot();
    }

    Journal journal() {
        return new Journal(stateDir);
    }

    /** The boot-time files (persisted assignments) of this root. */
    BootPersistence boot() {
        return new BootPersistence(root);
    }

    /** The named functions; a request that names none is refused (assignment never acts on all devices). */
    static List<PciDevice> selectNamed(Args args, HostSnapshot snap, String command) {
        DeviceSelector selector = DeviceSelector.from(args);
        String cls = args.string("class");
        if (!selector.namesDevices() && cls == null) {
            throw new EngineException(ErrorId.InvalidArgument, "'" + command
                    + "' needs at least one address, locationPath, instanceId or class (it never acts on all devices).",
                    command);
        }
        List<PciDevice> selected = selector.select(snap.devices());
        if (selected.isEmpty()) {
            // Only a class filter can select nothing (a named device that is missing is DeviceNotFound already).
            throw new EngineException(ErrorId.DeviceNotFound, "No selected function is of class '" + cls + "'.", cls);
        }
        return selected;
    }

    /** The functions of {@code d}'s IOMMU group (itself when it has none). */
    static List<PciDevice> members(HostSnapshot snap, PciDevice d) {
        if (d.iommuGroup() == null) {
            return List.of(d);
        }
        return snap.devices().stream().filter(o -> d.iommuGroup().equals(o.iommuGroup())).toList();
    }

    static byte[] config(HostSnapshot snap, PciDevice d) {
        return snap.configSpaces().getOrDefault(d.address(), new byte[0]);
    }
}
