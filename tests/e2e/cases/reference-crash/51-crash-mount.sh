# Crash matrix, mount: the NVMe is dismounted once; then mount halts at every step (journaled/applied),
# and `repair` must leave it held on vfio-pci exactly as before the mount. Finally a clean mount.
# e2e-timeout: 420
# e2e-expect: crash-mount-matrix crash-mount-final
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
# repair runs through one serve process (a JVM start costs seconds here); the crashing runs are one-shot.
serve_start
need_jar crash-mount-matrix crash-mount-final
set -- $(pci_find 1b36:0010); B=$1
SD=/tmp/ddab-crash-m
drivers_snapshot > /tmp/cm-initial.txt
DB dismount "$B" --json --state-dir $SD > /out/cm-dismount.json 2>&1 || fail crash-mount-matrix "setup dismount failed"
drivers_snapshot > /tmp/cm-held.txt
DB mount "$B" --what-if --json --state-dir $SD > /out/cm-plan.json 2>&1
N=$(grep -c '"action"' /out/cm-plan.json)
echo "INFO crash matrix (mount $B): $N steps x {journaled, applied}"
bad=0; i=0
while [ $i -lt "$N" ]; do
    for ph in journaled applied; do
        spec=$i; [ $ph = journaled ] && spec="$i:journaled"
        DDABRIDGE_CRASH_AFTER_STEP=$spec DB mount "$B" --json --state-dir $SD > /tmp/cm.json 2> /tmp/cm.err; crc=$?
        mid="$(pci_driver $B)/$(cat $PCI/$B/driver_override)"
        serve_req "{\"id\":1,\"command\":\"repair\",\"args\":{\"stateDir\":\"$SD\"}}" > /tmp/cm-repair.json
        grep -q '"ok":true' /tmp/cm-repair.json; rrc=$?
        drivers_snapshot > /tmp/cm-after.txt
        if [ $crc = 137 ] && [ $rrc = 0 ] && cmp -s /tmp/cm-held.txt /tmp/cm-after.txt; then res=ok; else res=BAD; bad=$((bad+1)); fi
        echo "INFO   step $i $ph: engine rc=$crc, at crash $mid, repair rc=$rrc, after repair $(pci_driver $B)/$(cat $PCI/$B/driver_override) -> $res"
        [ $res = ok ] || diff /tmp/cm-held.txt /tmp/cm-after.txt | sed 's/^/INFO     /'
    done
    i=$((i+1))
done
[ $bad = 0 ] && [ "$N" -gt 0 ] && pass crash-mount-matrix || fail crash-mount-matrix "$bad of $((N*2)) cells inconsistent"
DB mount "$B" --json --state-dir $SD > /out/cm-final.json 2>&1
drivers_snapshot > /tmp/cm-final.txt
cmp -s /tmp/cm-initial.txt /tmp/cm-final.txt && pass crash-mount-final ||
    fail crash-mount-final "$(diff /tmp/cm-initial.txt /tmp/cm-final.txt | tr '\n' ' ')"
serve_stop
finish
