# Engine, plain QEMU: the engine halts (Runtime.halt(137), as kill -9) right after vm-add's first device_add,
# before journaling it done; `repair` then takes the half-made attach back out of the VM (rollback, like dismount's).
# e2e-timeout: 400
# e2e-expect: qmp-engine-crash-mid-vm-add qmp-engine-crash-repair-detaches
. /out/lib.sh; . /out/assign-lib.sh; . /out/vm-lib.sh
need_jar qmp-engine-crash-mid-vm-add qmp-engine-crash-repair-detaches
set -- $(pci_find 1b36:0010); B=$1
S=$L2_QMP_SOCK; VM=qmp:$S
DB dismount "$B" --json --state-dir $DB_SD > /out/qc-dismount.json 2>&1
DDABRIDGE_CRASH_AFTER_STEP=0 DB vm-add "$B" --vm $VM --json --state-dir $DB_SD > /out/qc-add.json 2> /out/qc-add.err; rc=$?
qmp $S query-pci | pci_flat > /out/qc-pci.txt
_in() { qmp $S qom-list '{"path":"/machine/peripheral"}' | grep -q '"child<vfio-pci>"'; }
[ $rc = 137 ] && _in && pass qmp-engine-crash-mid-vm-add || fail qmp-engine-crash-mid-vm-add "rc=$rc $(head -c 300 /out/qc-add.err | tr '\n' ' ')"
DB repair --json --state-dir $DB_SD > /out/qc-repair.json 2>&1; rc=$?
_gone() { ! _in; }
[ $rc = 0 ] && wait_for 60 _gone && pass qmp-engine-crash-repair-detaches ||
    fail qmp-engine-crash-repair-detaches "rc=$rc $(head -c 400 /out/qc-repair.json | tr '\n' ' ')"
DB mount "$B" --json --state-dir $DB_SD > /dev/null 2>&1
finish
