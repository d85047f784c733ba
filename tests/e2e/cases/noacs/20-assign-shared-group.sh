# Engine on the shared no-ACS group. VFIO's rules (the Linux default, as in survey) need only the group: dismount
# of one NVMe without --force moves the whole group (both NVMe), the root ports stay on pcieport, VFIO says viable;
# Hyper-V's rules (--target hyperv) refuse it (AcsPathMissing) and change nothing. Mount gives everything back.
# e2e-expect: noacs-hyperv-refused noacs-vfio-moves-group noacs-ports-stay noacs-viable noacs-mount-back
. /out/lib.sh; . /out/assign-lib.sh
need_jar noacs-hyperv-refused noacs-vfio-moves-group noacs-ports-stay noacs-viable noacs-mount-back
set -- $(pci_find 1b36:0010); A=$1; B=$2
drivers_snapshot > /tmp/na-before.txt
DB dismount "$A" --target hyperv --json --state-dir $DB_SD > /out/na-hyperv.json 2>&1; rc=$?
drivers_snapshot > /tmp/na-hyperv.txt
[ $rc = 6 ] && json_has /out/na-hyperv.json '"reason": "NotAssignable"' && json_has /out/na-hyperv.json '"AcsPathMissing"' &&
    cmp -s /tmp/na-before.txt /tmp/na-hyperv.txt && pass noacs-hyperv-refused ||
    fail noacs-hyperv-refused "rc=$rc $(head -c 400 /out/na-hyperv.json | tr '\n' ' ')"
DB dismount "$A" --json --state-dir $DB_SD > /out/na-vfio.json 2>&1; rc=$?
echo "INFO noacs warnings: $(grep -oE '"code": "[A-Za-z]+"' /out/na-vfio.json | sort -u | tr '\n' ' ')"
[ $rc = 0 ] && [ "$(pci_driver $A)" = vfio-pci ] && [ "$(pci_driver $B)" = vfio-pci ] && pass noacs-vfio-moves-group ||
    fail noacs-vfio-moves-group "rc=$rc A=$(pci_driver $A) B=$(pci_driver $B) $(head -c 300 /out/na-vfio.json | tr '\n' ' ')"
ports=ok
for p in $(group_devices "$(pci_group $A)"); do
    case $(pci_class $p) in 0x0604*) [ "$(pci_driver $p)" = pcieport ] || ports="$p=$(pci_driver $p)";; esac
done
check_eq noacs-ports-stay ok "$ports"
json_has /out/na-vfio.json '"viable": true' && pass noacs-viable || fail noacs-viable "$(grep -A6 '"groups"' /out/na-vfio.json | tr '\n' ' ')"
DB mount "$A" --json --state-dir $DB_SD > /out/na-mount.json 2>&1
drivers_snapshot > /tmp/na-after.txt
cmp -s /tmp/na-before.txt /tmp/na-after.txt && pass noacs-mount-back || fail noacs-mount-back "$(diff /tmp/na-before.txt /tmp/na-after.txt | tr '\n' ' ')"
finish
