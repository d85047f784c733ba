# Crash matrix, dismount: the engine halts (Runtime.halt(137), as kill -9) at every step, once right after
# journaling the step and once right after doing it; `repair` must then leave every function as before.
# e2e-timeout: 600
# e2e-expect: crash-dismount-matrix
. /out/lib.sh; . /out/assign-lib.sh; . /out/checker-lib.sh
# repair runs through one serve process (a JVM start costs seconds here); the crashing runs are one-shot.
serve_start
need_jar crash-dismount-matrix
set -- $(pci_find 1b36:0010); B=$1
SD=/tmp/ddab-crash-d
drivers_snapshot > /tmp/cd-before.txt
DB dismount "$B" --what-if --json --state-dir $SD > /out/cd-plan.json 2>&1
N=$(grep -c '"action"' /out/cd-plan.json)
echo "INFO crash matrix (dismount $B): $N steps x {journaled, applied}"
bad=0; i=0
while [ $i -lt "$N" ]; do
    for ph in journaled applied; do
        spec=$i; [ $ph = journaled ] && spec="$i:journaled"
        DDABRIDGE_CRASH_AFTER_STEP=$spec DB dismount "$B" --json --state-dir $SD > /tmp/cd.json 2> /tmp/cd.err; crc=$?
        mid="$(pci_driver $B)/$(cat $PCI/$B/driver_override)"
        serve_req "{\"id\":1,\"command\":\"repair\",\"args\":{\"stateDir\":\"$SD\"}}" > /tmp/cd-repair.json
        grep -q '"ok":true' /tmp/cd-repair.json; rrc=$?
        drivers_snapshot > /tmp/cd-after.txt
        if [ $crc = 137 ] && [ $rrc = 0 ] && cmp -s /tmp/cd-before.txt /tmp/cd-after.txt; then res=ok; else res=BAD; bad=$((bad+1)); fi
        echo "INFO   step $i $ph: engine rc=$crc, at crash $mid, repair rc=$rrc, after repair $(pci_driver $B)/$(cat $PCI/$B/driver_override) -> $res"
        [ $res = ok ] || diff /tmp/cd-before.txt /tmp/cd-after.txt | sed 's/^/INFO     /'
    done
    i=$((i+1))
done
[ $bad = 0 ] && [ "$N" -gt 0 ] && pass crash-dismount-matrix || fail crash-dismount-matrix "$bad of $((N*2)) cells inconsistent"
serve_stop
finish
