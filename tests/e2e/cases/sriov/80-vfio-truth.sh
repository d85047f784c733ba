# The engine's VFIO verdict on every function of this topology against the kernel and a paused QEMU
# (guest/vfio-truth-lib.sh: assignable -> the group binds to vfio-pci, VFIO_GROUP_GET_STATUS says viable,
# QEMU's device_add vfio-pci realizes it; NotAssignable -> the kernel or QEMU refuses).
# With both VFs created (a fresh survey sees them): the VFs, each in its own group, and the PF with SR-IOV on.
# e2e-expect: vfio-truth-survey vfio-truth-viable vfio-truth-qemu-accepts vfio-truth-refused vfio-truth-restored
# e2e-timeout: 300
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh; . /out/vfio-truth-lib.sh
need_jar vfio-truth-survey vfio-truth-viable vfio-truth-qemu-accepts vfio-truth-refused vfio-truth-restored
VT_MIN_CANDIDATES=1
PF=$(pci_find 1b36:0010 | while read -r b; do [ -e "$PCI/$b/sriov_totalvfs" ] && echo "$b"; done | head -n1)
sysfs_write "$PCI/$PF/sriov_numvfs" 2 && wait_for 10 test -e "$PCI/$PF/virtfn1" || echo "INFO vfio-truth: no VFs created on $PF"
vfio_truth
sysfs_write "$PCI/$PF/sriov_numvfs" 0
finish
