# Engine, plain QEMU: the e1000e pair (one group, two functions) is dismounted, added and removed together:
# vm-add of one function brings both into one slot, vm-remove of the other takes both away.
# e2e-timeout: 400
# e2e-expect: qmp-engine-pair-vm-add-both qmp-engine-pair-vm-remove-both qmp-engine-pair-back
. /out/lib.sh; . /out/assign-lib.sh; . /out/vm-lib.sh
need_jar qmp-engine-pair-vm-add-both qmp-engine-pair-vm-remove-both qmp-engine-pair-back
e1k=$(pci_find 8086:10d3); pair=
for b in $e1k; do [ "$(echo "$e1k" | grep -c "^${b%.*}\.")" -eq 2 ] && pair="$pair $b"; done
set -- $pair; P0=$1; P1=$2
S=$L2_QMP_SOCK; VM=qmp:$S
DB dismount "$P0" --json --state-dir $DB_SD > /out/qp-dismount.json 2>&1
DB vm-add "$P0" --vm $VM --json --state-dir $DB_SD > /out/qp-add.json 2>&1; rc=$?
_both() { qmp $S query-pci | pci_flat > /out/qp-pci.txt; [ "$(grep -c ' 8086:10d3 ' /out/qp-pci.txt)" = 2 ]; }
[ $rc = 0 ] && wait_for 60 _both && pass qmp-engine-pair-vm-add-both ||
    fail qmp-engine-pair-vm-add-both "rc=$rc $(head -c 300 /out/qp-add.json | tr '\n' ' ') pci: $(tr '\n' ';' < /out/qp-pci.txt)"
DB vm-remove "$P1" --vm $VM --timeout 150 --json --state-dir $DB_SD > /out/qp-remove.json 2>&1; rc=$?
qmp $S query-pci | pci_flat > /out/qp-pci2.txt
[ $rc = 0 ] && [ "$(grep -c ' 8086:10d3 ' /out/qp-pci2.txt)" = 0 ] && pass qmp-engine-pair-vm-remove-both ||
    fail qmp-engine-pair-vm-remove-both "rc=$rc $(head -c 300 /out/qp-remove.json | tr '\n' ' ') pci: $(tr '\n' ';' < /out/qp-pci2.txt)"
DB mount "$P1" --json --state-dir $DB_SD > /out/qp-mount.json 2>&1
wait_for 10 _driver_is "$P0" e1000e && wait_for 10 _driver_is "$P1" e1000e && pass qmp-engine-pair-back ||
    fail qmp-engine-pair-back "$P0=$(pci_driver $P0) $P1=$(pci_driver $P1) $(head -c 300 /out/qp-mount.json | tr '\n' ' ')"
finish
