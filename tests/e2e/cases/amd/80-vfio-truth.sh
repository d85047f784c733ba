# The engine's VFIO verdict on every function of this topology against the kernel and a paused QEMU
# (guest/vfio-truth-lib.sh: assignable -> the group binds to vfio-pci, VFIO_GROUP_GET_STATUS says viable,
# QEMU's device_add vfio-pci realizes it; NotAssignable -> the kernel or QEMU refuses).
# The same on the AMD IOMMU (its own PCI function has no group).
# e2e-expect: vfio-truth-survey vfio-truth-viable vfio-truth-qemu-accepts vfio-truth-refused vfio-truth-restored
# e2e-timeout: 600
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh; . /out/vfio-truth-lib.sh
need_jar vfio-truth-survey vfio-truth-viable vfio-truth-qemu-accepts vfio-truth-refused vfio-truth-restored
VT_MIN_CANDIDATES=1
vfio_truth /out/c-survey.json
finish
