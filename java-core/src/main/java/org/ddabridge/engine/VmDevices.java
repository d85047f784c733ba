package org.ddabridge.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.driver.linux.VfioHolders;
import org.ddabridge.image.HostImages;
import org.ddabridge.model.HostSnapshot;
import org.ddabridge.model.PciAddress;
import org.ddabridge.model.PciDevice;
import org.ddabridge.pci.PciClass;
import org.ddabridge.platform.Platforms;
import org.ddabridge.platform.spi.PlatformBackend;
import org.ddabridge.survey.DeviceSelector;
import org.ddabridge.survey.MmioPlan;
import org.ddabridge.survey.Survey;
import org.ddabridge.util.HostRoot;
import org.ddabridge.vm.VmException;

/**
 * Which host function a VM request means, read from one snapshot of the host: by address, location path or
 * instance id (as dismount takes them), or "any pooled device" (Hyper-V's Add-VMAssignableDevice without a
 * device: the first function on vfio-pci whose group no process holds). Also the group's MMIO as the survey
 * computes it, and the identities vm-list shows.
 */
final class VmDevices {
    /** The device arguments of a VM request, checked for form (not yet looked up). */
    record Identity(List<String> addresses, List<String> locationPaths, List<String> instanceIds, boolean any) {
        static Identity of(Args a, boolean anyAllowed) {
            List<String> addr = a.strings("address");
            for (String s : addr) {
                if (PciAddress.parse(s).isEmpty()) {
                    throw new EngineException(ErrorId.InvalidArgument,
                            "'" + s + "' is not a PCI address (expected 0000:01:00.0 or 01:00.0).", s);
                }
            }
            Identity id = new Identity(addr, a.strings("locationPath"), a.strings("instanceId"), anyAllowed && a.flag("any"));
            if (!id.names() && !id.any()) {
                throw new EngineException(ErrorId.InvalidArgument, "Name the device: address, locationPath or instanceId"
                        + (anyAllowed ? " (or any: the first device of the pool)" : "") + "; its whole IOMMU group moves.",
                        "address");
            }
            if (id.names() && id.any()) {
                throw new EngineException(ErrorId.InvalidArgument, "Give either a device or any, not both.", "any");
            }
            return id;
        }

        boolean names() {
            return !addresses.isEmpty() || !locationPaths.isEmpty() || !instanceIds.isEmpty();
        }
    }

    /**
     * The resolved function (one per group: the lowest address the request named), its identity, and the 64-bit
     * PCI hole the survey recommends for the group's endpoints in KiB (0 when they have no 64-bit BARs).
     */
    record Resolved(PciAddress address, PciDevice device, long hole64Kib) {
    }

    private final HostRoot root;
    private final PlatformBackend backend;
    private final HostSnapshot snap;

    private VmDevices(HostRoot root) {
        this.root = root;
        this.backend = Platforms.forImage(root);
        this.snap = backend.snapshot();
    }

    /** The live machine, or the host image {@code root} (a fake tree in tests). */
    static VmDevices read(String root) {
        if (root != null && java.nio.file.Files.exists(Path.of(root)) && !java.nio.file.Files.isDirectory(Path.of(root))) {
            throw new EngineException(ErrorId.InvalidArgument, "'" + root
                    + "' is an archive: the VM commands need a directory tree as root.", root);
        }
        return new VmDevices(root == null ? Platforms.liveLinuxRoot() : HostImages.open(root));
    }

    Path rootPath() {
        return root.path();
    }

    Path procRoot() {
        return root.path().resolve("proc");
    }

    /** Finds the one group the identity names. */
    Resolved resolve(Identity id) {
        PciDevice d;
        if (id.any()) {
            d = firstPooled();
        } else {
            List<PciDevice> chosen = new DeviceSelector(id.addresses(), id.locationPaths(), id.instanceIds(), null)
                    .select(snap.devices());
            Set<String> groups = new TreeSet<>();
            chosen.forEach(c -> groups.add(c.iommuGroup() == null ? c.address() : "g" + c.iommuGroup()));
            if (groups.size() > 1) {
                throw new EngineException(ErrorId.InvalidArgument, "One IOMMU group per request: "
                        + chosen.stream().map(PciDevice::address).toList() + " are in different groups.", "address");
            }
            d = chosen.get(0);
        }
        return new Resolved(VmException.address(d.address()), d, hole64Kib(d));
    }

    /** The first function on vfio-pci (not a bridge) whose {@code /dev/vfio/<group>} no process holds. */
    private PciDevice firstPooled() {
        for (PciDevice d : snap.devices().stream().sorted((x, y) -> x.pciAddress().compareTo(y.pciAddress())).toList()) {
            if (!"vfio-pci".equals(d.driver()) || d.iommuGroup() == null || PciClass.isInfrastructure(d.classCode(), -1)) {
                continue;
            }
            if (VfioHolders.holders(procRoot(), d.iommuGroup(), (int) ProcessHandle.current().pid()).holders().isEmpty()) {
                return d;
            }
        }
        throw new EngineException(ErrorId.DeviceNotFound,
                "No device in the pool is free for a VM: dismount one first (every function on vfio-pci is held by a VM).",
                "any");
    }

    /** The survey's {@code pci-hole64-size} for the endpoints of {@code d}'s group, when they have 64-bit BARs. */
    private long hole64Kib(PciDevice d) {
        List<String> members = snap.devices().stream()
                .filter(o -> d.iommuGroup() == null ? o.address().equals(d.address()) : d.iommuGroup().equals(o.iommuGroup()))
                .filter(o -> !PciClass.isInfrastructure(o.classCode(), -1))
                .map(PciDevice::address).toList();
        MmioPlan plan = MmioPlan.of(Survey.ofSnapshot(backend, snap,
                all -> all.stream().filter(o -> members.contains(o.address())).toList()));
        return plan.aboveFourGiB() > 0 ? plan.qemu().pciHole64Size() / 1024 : 0;
    }

    /** A host function as vm-list shows it: address plus the Windows-form identities. */
    record Assigned(String address, String locationPath, String instanceId, String vendorId, String deviceId,
            String deviceName, Integer iommuGroup) {
    }

    /** Identities of {@code addresses} (a function this host does not have keeps only its address). */
    List<Assigned> identities(List<String> addresses) {
        Map<String, PciDevice> byAddress = new LinkedHashMap<>();
        snap.devices().forEach(d -> byAddress.put(d.address(), d));
        List<Assigned> out = new ArrayList<>();
        for (String a : addresses) {
            PciDevice d = byAddress.get(a);
            out.add(d == null ? new Assigned(a, null, null, null, null, null, null)
                    : new Assigned(a, d.locationPath(), d.instanceId(), d.vendorId(), d.deviceId(), d.deviceName(), d.iommuGroup()));
        }
        return out;
    }
}
