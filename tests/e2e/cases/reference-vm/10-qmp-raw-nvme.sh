# Raw QMP (no engine): the NVMe, bound to vfio-pci by the shell dance, goes into the plain QEMU's free
# root port; the second-level VM's query-pci shows 1b36:0010; its QEMU holds /dev/vfio/<group>; device_del
# completes with DEVICE_DELETED (the second-level kernel's pciehp answers); the device stays on vfio-pci.
# e2e-timeout: 1100
# e2e-expect: qmp-raw-l2-booted qmp-raw-slot-free qmp-raw-device-add qmp-raw-query-pci-shows qmp-raw-holder-is-qemu
# e2e-expect: qmp-raw-device-deleted qmp-raw-gone-from-query-pci qmp-raw-still-vfio qmp-raw-holder-gone qmp-raw-nvme-back
. /out/lib.sh; . /out/vm-lib.sh
set -- $(pci_find 1b36:0010); B=$1; G=$(pci_group "$B")
S=$L2_QMP_SOCK
bind_vfio "$B" || fail qmp-raw-device-add "cannot bind $B to vfio-pci"
t0=$(vm_now)
if l2_ready $L2_QMP_LOG 1000; then pass qmp-raw-l2-booted; else fail qmp-raw-l2-booted "no marker: $(tail -c 300 /jroot$L2_QMP_LOG | tr '\n' ' ')"; fi
vm_info "qmp vm: second-level kernel up at guest uptime $(vm_now) (waited $(elapsed2 $t0 $(vm_now)) s here); $(grep -a 'L2: init up' /jroot$L2_QMP_LOG)"
qmp $S qom-list '{"path":"/machine/peripheral/rp1/rp1"}' > /out/q-rp1.json 2>&1
grep -q '"child\[' /out/q-rp1.json && fail qmp-raw-slot-free "rp1 has a child: $(cat /out/q-rp1.json)" || pass qmp-raw-slot-free
t1=$(vm_now)
qmp $S device_add "{\"driver\":\"vfio-pci\",\"host\":\"$B\",\"bus\":\"rp1\",\"id\":\"hostdev0\"}" > /out/q-add.out 2>&1
rc=$?; t2=$(vm_now)
[ $rc = 0 ] && pass qmp-raw-device-add || fail qmp-raw-device-add "rc=$rc $(cat /out/q-add.out)"
vm_info "qmp vm: device_add vfio-pci $B in $(elapsed2 $t1 $t2) s (incl. python start)"
# the second-level kernel enumerates the hot-added device; query-pci sees it once the bus is numbered
_in_l2() { qmp $S query-pci | pci_flat > /out/q-pci.txt; grep -q ' 1b36:0010 hostdev0$' /out/q-pci.txt; }
wait_for 60 _in_l2 && pass qmp-raw-query-pci-shows || fail qmp-raw-query-pci-shows "$(tr '\n' ';' < /out/q-pci.txt)"
echo "INFO query-pci: $(grep hostdev0 /out/q-pci.txt)"
QPID=$(cat /jroot/tmp/l2-qmp.pid)
vfio_holders "$G" > /out/q-holders.txt
grep -q "^$QPID " /out/q-holders.txt && pass qmp-raw-holder-is-qemu || fail qmp-raw-holder-is-qemu "qemu pid $QPID; holders: $(cat /out/q-holders.txt)"
t3=$(vm_now)
qmp $S device_del '{"id":"hostdev0"}' --wait DEVICE_DELETED 90 > /out/q-del.out 2>&1
rc=$?; t4=$(vm_now)
[ $rc = 0 ] && grep -q '^EVENT DEVICE_DELETED' /out/q-del.out && pass qmp-raw-device-deleted || fail qmp-raw-device-deleted "rc=$rc $(cat /out/q-del.out)"
vm_info "qmp vm: device_del until DEVICE_DELETED $(elapsed2 $t3 $t4) s"
qmp $S query-pci | pci_flat > /out/q-pci-after.txt
grep -q ' 1b36:0010 ' /out/q-pci-after.txt && fail qmp-raw-gone-from-query-pci "$(tr '\n' ';' < /out/q-pci-after.txt)" || pass qmp-raw-gone-from-query-pci
check_eq qmp-raw-still-vfio vfio-pci "$(pci_driver "$B")"
_no_holder() { [ -z "$(vfio_holders "$G")" ]; }
wait_for 10 _no_holder && pass qmp-raw-holder-gone || fail qmp-raw-holder-gone "$(vfio_holders "$G")"
unbind_vfio "$B"
wait_for 10 _driver_is "$B" nvme && pass qmp-raw-nvme-back || fail qmp-raw-nvme-back "driver $(pci_driver "$B")"
finish
