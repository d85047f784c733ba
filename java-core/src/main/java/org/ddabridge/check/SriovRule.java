package org.ddabridge.check;

import java.util.List;

/**
 * A physical function whose virtual functions exist: vfio-pci refuses to bind it (the VFs may be in use by the
 * host or by other users, and it cannot take them over), so under VFIO it is not assignable until its VFs are
 * removed. The VFs themselves are separate functions with their own verdicts. Hyper-V: silent (its SR-IOV is
 * a different mechanism).
 */
final class SriovRule implements DeviceRule {
    @Override
    public List<Reason> check(DeviceContext ctx) {
        DeviceFacts.Sriov s = ctx.facts().sriov();
        if (!ctx.vfio() || s == null || s.numVfs() <= 0) {
            return List.of();
        }
        return List.of(new Reason(ReasonCode.SRIOV_VFS_ENABLED, Severity.ERROR,
                "SR-IOV physical function with " + s.numVfs() + " virtual function(s) enabled: vfio-pci does not bind "
                        + "a PF while its VFs exist. Not assignable.", List.of(s.evidence()),
                "Assign the VFs instead, or remove them first (echo 0 > sriov_numvfs) to assign the PF."));
    }
}
