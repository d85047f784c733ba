package org.ddabridge.check;

import java.util.ArrayList;
import java.util.List;

import org.ddabridge.check.DeviceFacts.Group;
import org.ddabridge.pci.PciClass;

/**
 * The IOMMU group: everything in it moves to the guest together (bridges excepted: VFIO tolerates them
 * staying with the host). A group holding something the host needs (a mounted disk, the default-route
 * NIC, the host bridge or the LPC/ISA bridge) makes the device not assignable, and so does being the LPC/ISA
 * bridge. Silent where the platform
 * has no groups (Windows).
 */
final class IommuGroupRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        Group g = ctx.facts().group();
        if (g == null && ctx.vfio() && PciClass.isIommu(ctx.facts().device().classCode())) {
            // the IOMMU's own PCI function (AMD): the kernel's IOMMU driver leaves it out of every group, and
            // vfio-pci binds only devices in a group
            return List.of(new Reason(ReasonCode.IOMMU_GROUP_NONE, Severity.ERROR,
                    "It is the IOMMU's own PCI function: the kernel puts it in no IOMMU group, so vfio-pci cannot "
                            + "bind it. Not assignable.",
                    List.of(new Evidence("class", ctx.facts().device().classCode())), null));
        }
        if (g == null || ctx.facts().type().bridge()) {
            return List.of();
        }
        List<String> group = g.effective();
        List<Reason> out = new ArrayList<>();
        if (g.live() && !g.predicted().equals(group)) {
            out.add(Reason.info(ReasonCode.IOMMU_GROUP_PREDICTION_DIFFERS,
                    "The kernel's group differs from the predicted one (an ACS override, DMA alias quirk or "
                            + "platform-specific grouping).",
                    List.of(new Evidence(g.source(), String.join(" ", group)),
                            new Evidence("predicted", String.join(" ", g.predicted())))));
        }
        if (!g.aliases().isEmpty()) {
            out.add(Reason.info(ReasonCode.DMA_ALIAS_QUIRK,
                    "The device issues DMA with another requester id too: the kernel keeps both in one IOMMU group.",
                    g.aliases()));
        }
        List<String> mates = mustMoveWith(ctx);
        List<Evidence> ev = List.of(new Evidence(g.source(), String.join(" ", group)));
        List<String> critical = new ArrayList<>();
        List<String> bootVga = new ArrayList<>();
        // The LPC/ISA bridge itself (the host's firmware interfaces, TPM, super-I/O live behind it): its group
        // mates are refused because of it, so it cannot be assignable either (the host bridge has its own rule).
        String ownClass = ctx.facts().device().classCode();
        if (ownClass != null && ownClass.startsWith("0601")) {
            out.add(new Reason(ReasonCode.IOMMU_GROUP_HOST_CRITICAL, Severity.ERROR,
                    "It is the ISA/LPC bridge, which the host needs (firmware, TPM and super-I/O sit behind it)."
                            + " Not assignable.", ev, null));
        }
        for (String a : mates) {
            DeviceFacts m = ctx.facts(a);
            String cls = m == null ? "" : m.device().classCode();
            if (ctx.hostUse().isCritical(a) || cls.startsWith("0600") || cls.startsWith("0601")) {
                critical.add(a + describe(ctx, a, cls));
            } else if (ctx.hostUse().isBootVga(a)) {
                bootVga.add(a);
            }
        }
        if (!critical.isEmpty()) {
            out.add(new Reason(ReasonCode.IOMMU_GROUP_HOST_CRITICAL, Severity.ERROR,
                    "Its IOMMU group also holds devices the host needs: " + String.join(", ", critical)
                            + ". Not assignable.", ev,
                    "Move the card to another slot (one behind an ACS-capable root port) so it gets its own group."));
        }
        if (!bootVga.isEmpty()) {
            out.add(new Reason(ReasonCode.IOMMU_GROUP_BOOT_VGA, Severity.WARNING,
                    "Its IOMMU group holds the host's boot display " + String.join(", ", bootVga) + ".", ev,
                    "The host loses its console while the group is assigned; make sure it is reachable otherwise."));
        }
        if (mates.isEmpty()) {
            out.add(Reason.info(ReasonCode.IOMMU_GROUP_ALONE, "Alone in its IOMMU group"
                    + (group.size() > 1 ? " (apart from bridges that stay with the host)." : "."), ev)
                    .withNextCommand(nextCommand(ctx.address())));
        } else {
            out.add(new Reason(ReasonCode.IOMMU_GROUP_SHARED, Severity.WARNING,
                    "Shares its IOMMU group: " + String.join(", ", mates) + " must be assigned with it.", ev,
                    "Assign every listed function to the same VM (or leave them all unbound from host drivers).",
                    nextCommand(ctx.address())));
        }
        return out;
    }

    /**
     * How the group is handed to a VM: dismount moves the whole group to vfio-pci, vm-add gives the whole group
     * to the VM (VM is the admin's: a libvirt domain or qmp:/path). Only where groups exist, i.e. on Linux/VFIO.
     */
    static String nextCommand(String address) {
        return "ddabridge dismount " + address + " && ddabridge vm-add --vm VM " + address;
    }

    /** The other non-bridge members of the effective group, sorted; empty when groups are unknown. */
    static List<String> mustMoveWith(DeviceContext ctx) {
        List<String> group = ctx.effectiveGroup();
        List<String> out = new ArrayList<>();
        int self = -1;
        for (int i = 0; i < group.size(); i++) {
            String a = group.get(i);
            DeviceFacts m = ctx.facts(a);
            if (a.equals(ctx.address())) {
                self = i;
            } else if (m == null || !m.type().bridge()) {
                out.add(a);
            }
        }
        // Every member of a large group carries this list until the survey is written: when it is the group
        // without the device itself (no bridge in it), a view of the group's one shared list instead of a copy.
        return self >= 0 && out.size() == group.size() - 1 ? new AllBut(group, self) : out;
    }

    /** {@code list} without the element at {@code skip} (an unmodifiable view). */
    static final class AllBut extends java.util.AbstractList<String> implements java.util.RandomAccess {
        private final List<String> list;
        private final int skip;

        AllBut(List<String> list, int skip) {
            this.list = list;
            this.skip = skip;
        }

        @Override
        public String get(int i) {
            java.util.Objects.checkIndex(i, size());
            return list.get(i < skip ? i : i + 1);
        }

        @Override
        public int size() {
            return list.size() - 1;
        }
    }

    private static String describe(DeviceContext ctx, String a, String cls) {
        if (ctx.hostUse().mounts().containsKey(a)) {
            return " (holds " + String.join(", ", ctx.hostUse().mounts().get(a)) + ")";
        }
        if (ctx.hostUse().defaultRoute().containsKey(a)) {
            return " (default route via " + String.join(", ", ctx.hostUse().defaultRoute().get(a)) + ")";
        }
        return cls.startsWith("0600") ? " (host bridge)" : " (ISA/LPC bridge)";
    }
}
