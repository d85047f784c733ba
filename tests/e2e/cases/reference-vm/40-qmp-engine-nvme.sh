# Engine, plain QEMU through QMP: dismount the NVMe, vm-add to the QMP VM (query-pci shows 1b36:0010), mount is
# refused with DeviceHeldByVm naming the VM, vm-list shows the device, vm-remove (gone from query-pci, still on
# vfio-pci), then mount works. --what-if first changes nothing.
# e2e-timeout: 500
# e2e-expect: qmp-engine-dismount qmp-engine-whatif qmp-engine-vm-add qmp-engine-query-pci-shows qmp-engine-l2-kernel-sees
# e2e-expect: qmp-engine-mount-refused
# e2e-expect: qmp-engine-vm-list qmp-engine-vm-remove qmp-engine-gone-from-query-pci qmp-engine-still-vfio qmp-engine-mount-after
. /out/lib.sh; . /out/assign-lib.sh; . /out/vm-lib.sh
need_jar qmp-engine-dismount qmp-engine-whatif qmp-engine-vm-add qmp-engine-query-pci-shows qmp-engine-l2-kernel-sees qmp-engine-mount-refused \
    qmp-engine-vm-list qmp-engine-vm-remove qmp-engine-gone-from-query-pci qmp-engine-still-vfio qmp-engine-mount-after
set -- $(pci_find 1b36:0010); B=$1
S=$L2_QMP_SOCK; VM=qmp:$S
l2_ready $L2_QMP_LOG 300 || echo "INFO qmp vm not booted"
DB dismount "$B" --json --state-dir $DB_SD > /out/qe-dismount.json 2>&1 && [ "$(pci_driver "$B")" = vfio-pci ] &&
    pass qmp-engine-dismount || fail qmp-engine-dismount "$(head -c 300 /out/qe-dismount.json)"
DB vm-add "$B" --vm $VM --what-if --json --state-dir $DB_SD > /out/qe-whatif.json 2>&1; rc=$?
qmp $S query-pci | pci_flat > /out/qe-pci0.txt
[ $rc = 0 ] && json_has /out/qe-whatif.json '"whatIf": true' && ! grep -q ' 1b36:0010 ' /out/qe-pci0.txt && pass qmp-engine-whatif ||
    fail qmp-engine-whatif "rc=$rc $(head -c 300 /out/qe-whatif.json | tr '\n' ' ')"
n0=$(l2_lines $L2_QMP_LOG)
t0=$(vm_now)
DB vm-add "$B" --vm $VM --json --state-dir $DB_SD > /out/qe-add.json 2>&1; rc=$?
vm_info "engine vm-add (qmp) $(elapsed2 $t0 $(vm_now)) s"
[ $rc = 0 ] && pass qmp-engine-vm-add || fail qmp-engine-vm-add "rc=$rc $(head -c 400 /out/qe-add.json | tr '\n' ' ')"
_in_l2() { qmp $S query-pci | pci_flat > /out/qe-pci.txt; grep -q ' 1b36:0010 ' /out/qe-pci.txt; }
wait_for 60 _in_l2 && pass qmp-engine-query-pci-shows || fail qmp-engine-query-pci-shows "$(tr '\n' ';' < /out/qe-pci.txt)"
# QEMU's device tree is one side; the VM's own kernel enumerating the NVMe behind the hot-plug port is the other
l2_sees $L2_QMP_LOG $n0 0x1b36:0x0010 && pass qmp-engine-l2-kernel-sees ||
    fail qmp-engine-l2-kernel-sees "no 'L2: pci' line with 0x1b36:0x0010 after the add: $(tail -n 2 /jroot$L2_QMP_LOG | tr '\n' ' ' | cut -c1-300)"
DB mount "$B" --json --state-dir $DB_SD > /out/qe-mount-refused.json 2>&1; rc=$?
[ $rc = 6 ] && json_has /out/qe-mount-refused.json '"DeviceHeldByVm"' && json_has /out/qe-mount-refused.json "qmp:$S" &&
    [ "$(pci_driver "$B")" = vfio-pci ] && pass qmp-engine-mount-refused ||
    fail qmp-engine-mount-refused "rc=$rc $(head -c 400 /out/qe-mount-refused.json | tr '\n' ' ')"
DB vm-list --vm $VM --json > /out/qe-list.json 2>&1
json_has /out/qe-list.json "\"$B\"" && pass qmp-engine-vm-list || fail qmp-engine-vm-list "$(head -c 400 /out/qe-list.json | tr '\n' ' ')"
t0=$(vm_now)
DB vm-remove "$B" --vm $VM --timeout 150 --json --state-dir $DB_SD > /out/qe-remove.json 2>&1; rc=$?
vm_info "engine vm-remove (qmp) $(elapsed2 $t0 $(vm_now)) s"
[ $rc = 0 ] && ! json_has /out/qe-remove.json "\"pending\": \[[^]]*$B" && pass qmp-engine-vm-remove ||
    fail qmp-engine-vm-remove "rc=$rc $(head -c 400 /out/qe-remove.json | tr '\n' ' ')"
qmp $S query-pci | pci_flat > /out/qe-pci2.txt
grep -q ' 1b36:0010 ' /out/qe-pci2.txt && fail qmp-engine-gone-from-query-pci "$(tr '\n' ';' < /out/qe-pci2.txt)" || pass qmp-engine-gone-from-query-pci
check_eq qmp-engine-still-vfio vfio-pci "$(pci_driver "$B")"
DB mount "$B" --json --state-dir $DB_SD > /out/qe-mount.json 2>&1; rc=$?
[ $rc = 0 ] && wait_for 10 _driver_is "$B" nvme && pass qmp-engine-mount-after || fail qmp-engine-mount-after "rc=$rc $(head -c 300 /out/qe-mount.json | tr '\n' ' ')"
finish
