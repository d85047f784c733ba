package org.ddabridge.assign.linux;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.driver.linux.VfioHolders;
import org.ddabridge.util.HostRoot;

/**
 * mount's guard against taking a group back from a running VM: when a process (QEMU) holds
 * {@code /dev/vfio/<group>} open, unbinding vfio-pci would hang or pull the device out from under the guest.
 * Refuses with {@link ErrorId#DeviceHeldByVm}, naming the VM ({@code -name guest=NAME}, or its QMP socket).
 */
final class VmHolderGuard {
    private VmHolderGuard() {
    }

    /** Throws when any group of {@code devices} is held; the engine's own pid is left out. */
    static void check(HostRoot root, List<Journal.DeviceState> devices) {
        Map<Integer, String> groups = new TreeMap<>();
        for (Journal.DeviceState d : devices) {
            if (d.group != null) {
                groups.putIfAbsent(d.group, d.address);
            }
        }
        if (groups.isEmpty()) {
            return;
        }
        Path proc = root.isLive() ? Path.of("/proc") : root.path().resolve("proc");
        if (!Files.isDirectory(proc)) {
            return;
        }
        int self = (int) ProcessHandle.current().pid();
        for (Map.Entry<Integer, String> g : groups.entrySet()) {
            VfioHolders.Scan s;
            try {
                s = VfioHolders.holders(proc, g.getKey(), self);
            } catch (UncheckedIOException e) {
                return;   // no process table to read (an image): nothing can hold the group
            }
            if (!s.holders().isEmpty()) {
                VfioHolders.Holder h = s.holders().get(0);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("group", g.getKey());
                details.put("heldBy", s.holders().stream().map(VfioHolders.Holder::describe).toList());
                if (h.vmName() != null) {
                    details.put("vm", h.vmName());
                } else if (h.qmpSocket() != null) {
                    details.put("vm", "qmp:" + h.qmpSocket());
                }
                throw new EngineException(ErrorId.DeviceHeldByVm, "IOMMU group " + g.getKey() + " (" + g.getValue()
                        + ") is in use by " + h.describe() + ": vm-remove it from that VM first.", g.getValue(), details);
            }
        }
    }
}
