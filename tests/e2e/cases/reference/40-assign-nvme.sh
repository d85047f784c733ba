# Engine: dismount an NVMe (group to vfio-pci, VFIO viability via ioctl), pool, mount it back.
# e2e-expect: dismount-nvme-runs dismount-nvme-vfio-pci dismount-group-viable dismount-blockdev-gone
# e2e-expect: pool-lists-nvme mount-nvme-runs mount-nvme-driver-back mount-blockdev-back mount-override-cleared
# e2e-expect: whatif-changes-nothing other-devices-untouched
. /out/lib.sh; . /out/assign-lib.sh
need_jar dismount-nvme-runs dismount-nvme-vfio-pci dismount-group-viable dismount-blockdev-gone pool-lists-nvme \
    mount-nvme-runs mount-nvme-driver-back mount-blockdev-back mount-override-cleared whatif-changes-nothing \
    other-devices-untouched
set -- $(pci_find 1b36:0010); B=$1; G=$(pci_group "$B")
NS=$(nvme_namespaces "$B" | head -n1)
drivers_snapshot > /tmp/before.txt

DB dismount "$B" --what-if --json --state-dir $DB_SD > /out/a-whatif.json 2>&1
drivers_snapshot > /tmp/after-whatif.txt
cmp -s /tmp/before.txt /tmp/after-whatif.txt && json_has /out/a-whatif.json '"whatIf": true' && pass whatif-changes-nothing ||
    fail whatif-changes-nothing "$(diff /tmp/before.txt /tmp/after-whatif.txt | tr '\n' ' ')"

DB dismount "$B" --json --state-dir $DB_SD > /out/a-dismount.json 2> /out/a-dismount.err
rc=$?
[ $rc = 0 ] && pass dismount-nvme-runs || fail dismount-nvme-runs "rc=$rc $(head -c 400 /out/a-dismount.json | tr '\n' ' ')"
check_eq dismount-nvme-vfio-pci vfio-pci "$(pci_driver "$B")"
# the engine's own VFIO_GROUP_GET_STATUS (JNA) must have said viable, flags bit 0
if json_has /out/a-dismount.json '"viable": true' && json_has /out/a-dismount.json '"flags": 1' && test -c /dev/vfio/$G; then
    pass dismount-group-viable
else fail dismount-group-viable "$(grep -A6 '"groups"' /out/a-dismount.json | tr '\n' ' ')"; fi
wait_for 5 test ! -e "/dev/$NS" && pass dismount-blockdev-gone || fail dismount-blockdev-gone "/dev/$NS still there"
INFO() { echo "INFO $*"; }
INFO "dismount $B: $(grep -c '"state": "done"' /out/a-dismount.json) steps done, engine $(sed -n 's/.*"durationMs": \([0-9]*\).*/\1/p' /out/a-dismount.json) ms"

DB pool --json --state-dir $DB_SD > /out/a-pool.json 2>&1
json_has /out/a-pool.json "\"$B\"" && json_has /out/a-pool.json '"originalDriver": "nvme"' && pass pool-lists-nvme ||
    fail pool-lists-nvme "$(head -c 400 /out/a-pool.json | tr '\n' ' ')"

DB mount "$B" --json --state-dir $DB_SD > /out/a-mount.json 2> /out/a-mount.err
rc=$?
[ $rc = 0 ] && pass mount-nvme-runs || fail mount-nvme-runs "rc=$rc $(head -c 400 /out/a-mount.json | tr '\n' ' ')"
check_eq mount-nvme-driver-back nvme "$(pci_driver "$B")"
_ns_back() { n=$(nvme_namespaces "$B" | head -n1); [ -n "$n" ] && [ -b "/dev/$n" ]; }
wait_for 15 _ns_back && pass mount-blockdev-back || fail mount-blockdev-back "no /dev/nvme*n1 for $B"
check_eq mount-override-cleared "(null)" "$(cat "$PCI/$B/driver_override")"
drivers_snapshot > /tmp/after.txt
cmp -s /tmp/before.txt /tmp/after.txt && pass other-devices-untouched ||
    fail other-devices-untouched "$(diff /tmp/before.txt /tmp/after.txt | tr '\n' ' ')"
finish
