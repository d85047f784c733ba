package org.ddabridge.engine;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.ddabridge.api.Args;
import org.ddabridge.api.EngineException;
import org.ddabridge.api.ErrorId;
import org.ddabridge.api.Progress;
import org.ddabridge.driver.linux.VfioGroups;
import org.ddabridge.util.Hex;
import org.ddabridge.util.HostRoot;
/**
 * {@code vfio-status}: asks the kernel whether an IOMMU group is viable for VFIO right now
 * ({@code VFIO_GROUP_GET_STATUS} on {@code /dev/vfio/<group>}). Read-only; changes nothing. Answers
 * "would a VM start with this group?" after a dismount, and gives tests the kernel's own verdict. Only the
 * running kernel's character device {@code /dev/vfio/<number>} is ever opened ({@link VfioGroups#status});
 * for a host image ({@code root}) nothing is opened.
 */
public final class VfioStatusRequest {
    private VfioStatusRequest() {
    }

    public static Object run(Args args, Progress progress) {
        args.allow(Set.of("group", "root"));
        String group = args.required("group");
        Integer n = Hex.parseDecimal(group, null);
        if (n == null || n < 0) {
            throw new EngineException(ErrorId.InvalidArgument, "'" + group + "' is not an IOMMU group number.", group);
        }
        HostRoot root = Engine.hostRoot(args);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("group", n);
        if (!Files.isDirectory(root.sys("kernel/iommu_groups/" + n))) {
            throw new EngineException(ErrorId.DeviceNotFound, "IOMMU group " + n + " does not exist.", group);
        }
        if (!root.isLive()) {
            // A host image holds no device nodes worth opening: whatever sits at dev/vfio/N in it is not asked.
            out.put("node", null);
            out.put("exists", false);
            out.put("viable", false);
            out.put("flags", null);
            out.put("error", "a host image has no live VFIO groups; vfio-status asks the running kernel only");
            return out;
        }
        String node = "/dev/vfio/" + n;
        boolean exists = Files.exists(Path.of(node), LinkOption.NOFOLLOW_LINKS);
        out.put("node", node);
        out.put("exists", exists);
        if (!exists) {
            // No node: no function of the group is bound to vfio-pci, so VFIO cannot use it.
            out.put("viable", false);
            out.put("flags", null);
            out.put("error", "no " + node + ": no function of the group is bound to vfio-pci");
            return out;
        }
        VfioGroups.Status s = VfioGroups.status(node);
        out.put("viable", s.viable());
        out.put("flags", s.flags() < 0 ? null : s.flags());
        out.put("error", s.flags() < 0 ? s.error() : null);
        return out;
    }
}
