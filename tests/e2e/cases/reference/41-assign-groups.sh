# Engine: the multifunction e1000e pair moves as one group; ne2k behind the PCIe-to-PCI bridge is refused
# (hard guard, also with --force); an NVMe held open is refused (soft guard InUse); the root-disk guard.
# e2e-expect: pair-dismount-both pair-mount-both ne2k-refused ne2k-refused-with-force ne2k-untouched
# e2e-expect: open-nvme-refused busy-second-request root-disk-guard
. /out/lib.sh; . /out/assign-lib.sh
need_jar pair-dismount-both pair-mount-both ne2k-refused ne2k-refused-with-force ne2k-untouched open-nvme-refused \
    busy-second-request root-disk-guard
e1k=$(pci_find 8086:10d3); pair=
for b in $e1k; do [ "$(echo "$e1k" | grep -c "^${b%.*}\.")" -eq 2 ] && pair="$pair $b"; done
set -- $pair; P0=$1; P1=$2
DB dismount "$P0" --json --state-dir $DB_SD > /out/g-pair.json 2>&1
[ "$(pci_driver $P0)" = vfio-pci ] && [ "$(pci_driver $P1)" = vfio-pci ] && pass pair-dismount-both ||
    fail pair-dismount-both "$P0=$(pci_driver $P0) $P1=$(pci_driver $P1): $(head -c 300 /out/g-pair.json | tr '\n' ' ')"
DB mount "$P1" --json --state-dir $DB_SD > /out/g-pair-mount.json 2>&1
[ "$(pci_driver $P0)" = e1000e ] && [ "$(pci_driver $P1)" = e1000e ] && pass pair-mount-both ||
    fail pair-mount-both "$P0=$(pci_driver $P0) $P1=$(pci_driver $P1)"

set -- $(pci_find 10ec:8029); N=$1
DB dismount "$N" --json --state-dir $DB_SD > /out/g-ne2k.json 2>&1; rc=$?
[ $rc = 6 ] && json_has /out/g-ne2k.json '"reason": "GroupContainsBridge"' && pass ne2k-refused ||
    fail ne2k-refused "rc=$rc $(head -c 500 /out/g-ne2k.json | tr '\n' ' ')"
echo "INFO ne2k reasons: $(grep -oE '"code": "[A-Za-z]+"|"reason": "[A-Za-z]+"' /out/g-ne2k.json | sort -u | tr '\n' ' ')"
DB dismount "$N" --force --json --state-dir $DB_SD > /out/g-ne2k-force.json 2>&1; rc=$?
[ $rc = 6 ] && json_has /out/g-ne2k-force.json '"forceHelps": false' && pass ne2k-refused-with-force ||
    fail ne2k-refused-with-force "rc=$rc"
check_eq ne2k-untouched ne2k-pci "$(pci_driver "$N")"

set -- $(pci_find 1b36:0010); B=$2
NS=$(nvme_namespaces "$B" | head -n1)
exec 3< "/dev/$NS"
DB dismount "$B" --json --state-dir $DB_SD > /out/g-open.json 2>&1; rc=$?
[ $rc = 6 ] && json_has /out/g-open.json '"reason": "InUse"' && [ "$(pci_driver $B)" = nvme ] && pass open-nvme-refused ||
    fail open-nvme-refused "rc=$rc $(head -c 400 /out/g-open.json | tr '\n' ' ')"
exec 3<&-

# Busy: hold the host lock (a POSIX fcntl lock, like Java's FileChannel.tryLock) from the host's python3.
if chroot /jroot python3 -c 'import fcntl' 2>/dev/null; then
    mkdir -p /jroot$DB_SD
    rm -f /jroot/tmp/lock-held
    chroot /jroot python3 -c "import fcntl,time; f=open('$DB_SD/lock','a'); fcntl.lockf(f, fcntl.LOCK_EX); open('/tmp/lock-held','w').close(); time.sleep(300)" &
    hp=$!
    wait_for 120 test -e /jroot/tmp/lock-held   # python starts slowly under TCG
    DB dismount "$B" --json --state-dir $DB_SD > /out/g-busy.json 2>&1; rc=$?
    [ $rc = 0 ] && DB mount "$B" --state-dir $DB_SD > /dev/null 2>&1   # undo if the lock did not hold
    [ $rc = 5 ] && json_has /out/g-busy.json '"Busy"' && pass busy-second-request ||
        fail busy-second-request "rc=$rc $(head -c 300 /out/g-busy.json | tr '\n' ' ')"
    kill $hp 2>/dev/null; wait $hp 2>/dev/null
else
    skip busy-second-request "no python3 in /jroot (covered by unit tests)"
fi
# The guest's root is a tmpfs; no PCI disk is mounted and the initramfs has no block filesystem module.
skip root-disk-guard "no mountable filesystem on a PCI disk in the guest (RootDisk/MountedFilesystem are unit-tested)"
finish
