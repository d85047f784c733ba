# The engine's VFIO verdict on every function of this topology against the kernel and a paused QEMU
# (guest/vfio-truth-lib.sh: assignable -> the group binds to vfio-pci, VFIO_GROUP_GET_STATUS says viable,
# QEMU's device_add vfio-pci realizes it; NotAssignable -> the kernel or QEMU refuses).
# No interrupt remapping: nothing is assignable here and now; the devices' groups still bind and are viable,
# and QEMU refuses each (vfio_iommu_type1 refuses VFIO_SET_IOMMU without allow_unsafe_interrupts).
# e2e-expect: vfio-truth-survey vfio-truth-viable vfio-truth-qemu-accepts vfio-truth-refused vfio-truth-restored
# e2e-timeout: 240
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh; . /out/vfio-truth-lib.sh
need_jar vfio-truth-survey vfio-truth-viable vfio-truth-qemu-accepts vfio-truth-refused vfio-truth-restored
VT_MIN_CANDIDATES=0
vfio_truth /out/c-survey.json
finish
