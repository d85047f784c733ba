# Engine on the shared no-ACS group: dismount of one NVMe is refused (NotAssignable, the group is not isolated);
# with --force the whole group moves (both NVMe), the root ports stay on pcieport, VFIO says viable; mount back.
# e2e-expect: noacs-refused noacs-force-moves-group noacs-ports-stay noacs-viable noacs-mount-back
. /out/lib.sh; . /out/assign-lib.sh
need_jar noacs-refused noacs-force-moves-group noacs-ports-stay noacs-viable noacs-mount-back
set -- $(pci_find 1b36:0010); A=$1; B=$2
drivers_snapshot > /tmp/na-before.txt
DB dismount "$A" --json --state-dir $DB_SD > /out/na-refused.json 2>&1; rc=$?
[ $rc = 6 ] && json_has /out/na-refused.json '"reason": "NotAssignable"' && [ "$(pci_driver $A)" = nvme ] && pass noacs-refused ||
    fail noacs-refused "rc=$rc $(head -c 400 /out/na-refused.json | tr '\n' ' ')"
echo "INFO noacs reasons: $(grep -oE '"code": "[A-Za-z]+"' /out/na-refused.json | sort -u | tr '\n' ' ')"
DB dismount "$A" --force --json --state-dir $DB_SD > /out/na-force.json 2>&1; rc=$?
[ $rc = 0 ] && [ "$(pci_driver $A)" = vfio-pci ] && [ "$(pci_driver $B)" = vfio-pci ] && pass noacs-force-moves-group ||
    fail noacs-force-moves-group "rc=$rc A=$(pci_driver $A) B=$(pci_driver $B) $(head -c 300 /out/na-force.json | tr '\n' ' ')"
ports=ok
for p in $(group_devices "$(pci_group $A)"); do
    case $(pci_class $p) in 0x0604*) [ "$(pci_driver $p)" = pcieport ] || ports="$p=$(pci_driver $p)";; esac
done
check_eq noacs-ports-stay ok "$ports"
json_has /out/na-force.json '"viable": true' && pass noacs-viable || fail noacs-viable "$(grep -A6 '"groups"' /out/na-force.json | tr '\n' ' ')"
DB mount "$A" --json --state-dir $DB_SD > /out/na-mount.json 2>&1
drivers_snapshot > /tmp/na-after.txt
cmp -s /tmp/na-before.txt /tmp/na-after.txt && pass noacs-mount-back || fail noacs-mount-back "$(diff /tmp/na-before.txt /tmp/na-after.txt | tr '\n' ' ')"
finish
