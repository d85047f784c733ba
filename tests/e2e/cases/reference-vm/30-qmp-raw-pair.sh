# Raw QMP: the e1000e pair (one group, functions 0 and 1 of one slot) into ONE root port of the plain QEMU,
# function 1 first and function 0 last with multifunction=on (QEMU exposes a hot-plugged slot when its
# function 0 arrives). query-pci shows both; device_del of function 0 removes the whole slot: DEVICE_DELETED
# for both functions. The pair stays on vfio-pci, then goes back to e1000e.
# e2e-timeout: 400
# e2e-expect: qmp-raw-pair-bound qmp-raw-pair-add qmp-raw-pair-query-pci qmp-raw-pair-one-delete-removes-both qmp-raw-pair-back
. /out/lib.sh; . /out/vm-lib.sh
e1k=$(pci_find 8086:10d3); pair=
for b in $e1k; do [ "$(echo "$e1k" | grep -c "^${b%.*}\.")" -eq 2 ] && pair="$pair $b"; done
set -- $pair; P0=$1; P1=$2
S=$L2_QMP_SOCK
bind_vfio "$P0" && bind_vfio "$P1" && pass qmp-raw-pair-bound || fail qmp-raw-pair-bound "$P0=$(pci_driver $P0) $P1=$(pci_driver $P1)"
l2_ready $L2_QMP_LOG 300 || echo "INFO qmp vm not booted"
t1=$(vm_now)
qmp $S device_add "{\"driver\":\"vfio-pci\",\"host\":\"$P1\",\"bus\":\"rp1\",\"addr\":\"0.1\",\"id\":\"pair1\"}" > /out/p-add1.out 2>&1 &&
qmp $S device_add "{\"driver\":\"vfio-pci\",\"host\":\"$P0\",\"bus\":\"rp1\",\"addr\":\"0.0\",\"multifunction\":\"on\",\"id\":\"pair0\"}" > /out/p-add0.out 2>&1
rc=$?; t2=$(vm_now)
[ $rc = 0 ] && pass qmp-raw-pair-add || fail qmp-raw-pair-add "rc=$rc $(cat /out/p-add1.out /out/p-add0.out | tr '\n' ' ')"
vm_info "qmp vm: pair device_add x2 in $(elapsed2 $t1 $t2) s"
_both() { qmp $S query-pci | pci_flat > /out/p-pci.txt; grep -q ' 0 8086:10d3 pair0$' /out/p-pci.txt && grep -q ' 1 8086:10d3 pair1$' /out/p-pci.txt; }
wait_for 60 _both && pass qmp-raw-pair-query-pci || fail qmp-raw-pair-query-pci "$(tr '\n' ';' < /out/p-pci.txt)"
echo "INFO query-pci: $(grep pair /out/p-pci.txt | tr '\n' ';')"
t3=$(vm_now)
qmp $S device_del '{"id":"pair0"}' --wait DEVICE_DELETED 90 pair0,pair1 > /out/p-del.out 2>&1
rc=$?; t4=$(vm_now)
[ $rc = 0 ] && pass qmp-raw-pair-one-delete-removes-both || fail qmp-raw-pair-one-delete-removes-both "rc=$rc $(cat /out/p-del.out)"
vm_info "qmp vm: pair device_del (function 0) until both DEVICE_DELETED $(elapsed2 $t3 $t4) s"
if [ $rc != 0 ]; then   # leave the VM clean for later cases
    qmp $S device_del '{"id":"pair1"}' --wait DEVICE_DELETED 30 > /dev/null 2>&1
fi
unbind_vfio "$P0"; unbind_vfio "$P1"
wait_for 10 _driver_is "$P0" e1000e && wait_for 10 _driver_is "$P1" e1000e && pass qmp-raw-pair-back ||
    fail qmp-raw-pair-back "$P0=$(pci_driver $P0) $P1=$(pci_driver $P1)"
finish
